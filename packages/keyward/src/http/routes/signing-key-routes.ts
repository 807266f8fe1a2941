/** Admin routes for Keyward's signing keys: list (public halves only) and rotate. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { validationFailed } from '../../errors.js';
import type { SigningKeyService } from '../../keys/signing-key-service.js';
import { actorOf } from '../auth-hook.js';
import { SigningKey } from '../workload-auth-schemas.js';

function rotateReason(body: unknown): string | undefined {
  if (body === undefined || body === null) return undefined;
  const reason = (body as { reason?: unknown }).reason;
  const keys = typeof body === 'object' && !Array.isArray(body) ? Object.keys(body) : ['?'];
  if (
    keys.some((k) => k !== 'reason') ||
    (reason !== undefined && (typeof reason !== 'string' || reason.length > 500))
  ) {
    throw validationFailed('body may only hold {"reason": "…"} (at most 500 characters)', [
      { path: '/reason', message: 'invalid' },
    ]);
  }
  return reason as string | undefined;
}

export function registerSigningKeyRoutes(
  app: FastifyInstance,
  { signingKeys }: { signingKeys: SigningKeyService },
): void {
  app.get(
    '/v1/signing-keys',
    {
      config: { permission: 'admin' },
      schema: {
        tags: ['admin'],
        summary: 'List signing keys: active, and retired ones until dropped (never private material)',
        response: { 200: Type.Object({ items: Type.Array(SigningKey) }) },
      },
    },
    async () => ({ items: await signingKeys.list() }),
  );
  app.post(
    '/v1/signing-keys/rotate',
    {
      config: { permission: 'admin' },
      schema: {
        tags: ['admin'],
        summary: 'Rotate: a new key becomes active; the old one stays in the JWKS until its tokens expire',
        // No body schema: a bare POST (no body) is allowed; an optional {reason} is checked below.
        response: { 201: SigningKey },
      },
    },
    async (request, reply) => {
      return reply.code(201).send(await signingKeys.rotate(actorOf(request), rotateReason(request.body)));
    },
  );
}
