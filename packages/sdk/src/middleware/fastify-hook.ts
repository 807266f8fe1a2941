/**
 * keywardFastify: a Fastify `onRequest`/`preHandler` hook that authenticates the bearer token and
 * sets `request.keyward`. Imported from `@keyward/sdk/fastify` only: the Fastify types it augments
 * are type-only imports, so the main SDK entry never needs fastify installed.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VerifiedAccessToken } from '../verifier/access-token.js';
import type { KeywardVerifier } from '../verifier/keyward-verifier.js';
import { authenticateBearer, type BearerAuthOptions, bearerToken } from './bearer-auth.js';
import { authorizeRequest, type RequestAuthorization } from './request-authz.js';

export interface KeywardFastifyOptions extends BearerAuthOptions {
  /** Also ask Keyward per request (403 on deny, 202 + approval id when approval is required). */
  authorize?: RequestAuthorization<FastifyRequest> | undefined;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified Keyward access token (set by keywardFastify). */
    keyward?: VerifiedAccessToken;
  }
}

export type KeywardFastifyHook = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

/**
 * Use as `app.addHook('onRequest', keywardFastify(verifier))`, or per route:
 * `{ onRequest: keywardFastify(verifier, { requiredScopes: ['tickets:read'] }) }`.
 */
export function keywardFastify(
  verifier: KeywardVerifier,
  options: KeywardFastifyOptions = {},
): KeywardFastifyHook {
  return async (request, reply) => {
    const result = await authenticateBearer(verifier, request.headers.authorization, options);
    if (result.ok) {
      request.keyward = result.token;
      if (!options.authorize) return;
      const raw = bearerToken(request.headers.authorization)!;
      const authz = await authorizeRequest(options.authorize, request, raw, result.token);
      if (authz.ok) return;
      reply.header('cache-control', 'no-store');
      await reply.code(authz.refusal.status).send(authz.refusal.body);
      return;
    }
    const { refusal } = result;
    if (refusal.challenge) reply.header('www-authenticate', refusal.challenge);
    reply.header('cache-control', 'no-store');
    await reply.code(refusal.status).send(refusal.body);
  };
}
