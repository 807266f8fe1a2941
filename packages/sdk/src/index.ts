/** @keyward/sdk public surface. */
export * from './types.js';
