/** @keyward/sdk public surface. */
export * from './api-error.js';
export * from './api-tokens-api.js';
export * from './client.js';
export * from './edges-api.js';
export type { KeywardClientOptions, Query, QueryValue } from './http-transport.js';
export * from './identities-api.js';
export { collect, paginate } from './pagination.js';
export { RecordApi } from './record-api.js';
export * from './types.js';
