/**
 * Example resource server: a tiny "tickets" API that accepts only Keyward access tokens issued for
 * it, refuses revoked ones within a second (with a feed-reader API token), and knows on whose
 * behalf each call is made (the sponsor) and which agent makes it (the actor).
 *
 *   export KEYWARD_URL=http://127.0.0.1:8470 TICKETS_AUDIENCE=tickets
 *   export KEYWARD_TOKEN=kw_…   # optional: follow the revocation feed
 *   npx tsx examples/agent/resource-server.ts
 */
import { createVerifier, type KeywardVerifier } from '@keyward/sdk';
import { keywardFastify } from '@keyward/sdk/fastify';
import Fastify, { type FastifyInstance } from 'fastify';

export interface TicketsServerConfig {
  /** Keyward's issuer URL. */
  issuer: string;
  /** This server's resource indicator: the `aud` its tokens must carry. */
  audience: string;
  /** A Keyward API token that may read the revocation feed; without it revocations are not followed. */
  apiToken?: string | undefined;
}

const TICKETS = [
  { id: 'T-1001', subject: 'Refund not received', status: 'open' },
  { id: 'T-1002', subject: 'Cannot log in', status: 'open' },
];

export async function createTicketsServer(
  config: TicketsServerConfig,
): Promise<{ app: FastifyInstance; verifier: KeywardVerifier }> {
  const verifier = createVerifier({
    issuer: config.issuer,
    audience: config.audience,
    apiToken: config.apiToken,
    onError: (err) => console.warn(`revocation feed: ${err.message}`),
  });
  if (config.apiToken) void verifier.subscribe();

  const app = Fastify();
  app.addHook('onClose', async () => verifier.close());
  app.get(
    '/tickets',
    { onRequest: keywardFastify(verifier, { requiredScopes: ['read:tickets'] }) },
    async (req) => {
      const token = req.keyward!;
      return {
        // client_credentials tokens name the agent as `sub` and carry the task's sponsor; delegated
        // (exchanged) tokens name the sponsor as `sub`.
        onBehalfOf: typeof token.claims['sponsor'] === 'string' ? token.claims['sponsor'] : token.subject,
        actor: token.actor,
        chain: token.delegationChain,
        task: token.taskId,
        tickets: TICKETS,
      };
    },
  );
  app.post<{ Params: { id: string } }>(
    '/tickets/:id/close',
    { onRequest: keywardFastify(verifier, { requiredScopes: ['write:tickets'] }) },
    async (req) => ({ id: req.params.id, status: 'closed', closedBy: req.keyward!.actor }),
  );
  return { app, verifier };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { app } = await createTicketsServer({
    issuer: process.env['KEYWARD_URL'] ?? 'http://127.0.0.1:8470',
    audience: process.env['TICKETS_AUDIENCE'] ?? 'tickets',
    apiToken: process.env['KEYWARD_TOKEN'],
  });
  console.log(
    `tickets API on ${await app.listen({ host: '127.0.0.1', port: Number(process.env['PORT'] ?? 8480) })}`,
  );
}
