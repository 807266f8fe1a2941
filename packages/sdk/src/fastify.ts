/** @keyward/sdk/fastify: the Fastify hook (needs fastify ≥ 5 as a peer; types only at build time). */
export type { BearerAuthOptions } from './middleware/bearer-auth.js';
export {
  type KeywardFastifyHook,
  type KeywardFastifyOptions,
  keywardFastify,
} from './middleware/fastify-hook.js';
