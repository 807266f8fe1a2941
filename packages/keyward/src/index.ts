/** Public programmatic surface of the keyward package (the server wiring). */
export * from './errors.js';
