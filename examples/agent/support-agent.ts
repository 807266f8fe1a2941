/**
 * Example agent: a support agent that, on behalf of its sponsor, opens a task ("triage open
 * tickets"), gets a task-bound token for the tickets API, reads the tickets and completes the
 * task. Its identity is proven with its own private key (private_key_jwt) — no shared secret.
 *
 *   export KEYWARD_URL=http://127.0.0.1:8470 KEYWARD_AGENT_ID=nhi_… KEYWARD_AGENT_KEY=./agent-key.pem
 *   export KEYWARD_AGENT_KID=agent-key-1 SPONSOR_ID=hum_… SPONSOR_TOKEN=<the sponsor's ID token>
 *   export TICKETS_URL=http://127.0.0.1:8480 TICKETS_AUDIENCE=tickets
 *   npx tsx examples/agent/support-agent.ts
 */
import { type AgentCredentials, KeywardAgent, type TaskCallOptions } from '@keyward/sdk';
import { loadPrivateKey } from '@keyward/sdk/node';

export type SupportAgentConfig = AgentCredentials & {
  issuer: string;
  identityId: string;
  /** The sponsor (`hum_…`) and their proof of consent: an ID token from an issuer Keyward trusts. */
  sponsorId: string;
  sponsorToken: string;
  /** Base URL of the tickets API and its resource indicator (token audience). */
  ticketsUrl: string;
  ticketsAudience: string;
  environment?: string | undefined;
  taskCredentials?: TaskCallOptions | undefined;
  fetch?: typeof fetch | undefined;
};

export interface SupportAgentResult {
  taskId: string;
  onBehalfOf: string;
  tickets: Array<{ id: string; subject: string; status: string }>;
}

export async function runSupportAgent(config: SupportAgentConfig): Promise<SupportAgentResult> {
  const agent = new KeywardAgent(config);
  const fetchImpl = config.fetch ?? fetch;
  const scope = `read:${config.ticketsAudience}`;
  const { task } = await agent.openTask({
    sponsorId: config.sponsorId,
    sponsorToken: config.sponsorToken,
    intent: 'Triage open support tickets',
    scopes: [scope],
    environment: config.environment ?? 'prod',
    ttlSeconds: 900,
  });
  try {
    const { accessToken } = await agent.getToken({
      taskId: task.id,
      resource: config.ticketsAudience,
      scopes: [scope],
    });
    const res = await fetchImpl(`${config.ticketsUrl}/tickets`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    if (!res.ok) throw new Error(`tickets API answered HTTP ${res.status}`);
    const body = (await res.json()) as { onBehalfOf: string; tickets: SupportAgentResult['tickets'] };
    await agent.completeTask(task.id);
    return { taskId: task.id, onBehalfOf: body.onBehalfOf, tickets: body.tickets };
  } catch (err) {
    // Leave nothing open: a cancelled task revokes every token issued for it.
    await agent.cancelTask(task.id).catch(() => {});
    throw err;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const env = (name: string) => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set`);
    return value;
  };
  const key = await loadPrivateKey(env('KEYWARD_AGENT_KEY'), 'ES256');
  const result = await runSupportAgent({
    issuer: process.env['KEYWARD_URL'] ?? 'http://127.0.0.1:8470',
    identityId: env('KEYWARD_AGENT_ID'),
    privateKey: key.privateKey,
    alg: key.alg,
    kid: process.env['KEYWARD_AGENT_KID'] ?? key.kid,
    sponsorId: env('SPONSOR_ID'),
    sponsorToken: env('SPONSOR_TOKEN'),
    ticketsUrl: process.env['TICKETS_URL'] ?? 'http://127.0.0.1:8480',
    ticketsAudience: process.env['TICKETS_AUDIENCE'] ?? 'tickets',
  });
  console.log(`task ${result.taskId} on behalf of ${result.onBehalfOf}:`);
  console.table(result.tickets);
}
