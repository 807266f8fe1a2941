/**
 * Prepares a real Keyward for the token benchmark: an agent identity with a registered ES256 key,
 * a sponsor human proven through a local OIDC issuer (the same test issuer the end-to-end tests
 * use), and an open task whose scope covers the benchmark resource.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type CryptoKey, exportJWK, generateKeyPair } from 'jose';
import { createKeyward, type Keyward } from '../../packages/keyward/src/app.js';
import { loadConfig } from '../../packages/keyward/src/config.js';
import { startTestIssuer, type TestIssuer } from '../../packages/keyward/test/oidc-test-issuer.js';
import { clientAssertion } from './assertion-load.js';

/** An admin token and an agent (with its key) holding an open task on a `scope` of `resource`. */
export interface AgentTaskSetup {
  adminToken: string;
  agentId: string;
  agentKey: CryptoKey;
  kid: string;
  taskId: string;
  resource: string;
  scope: string;
  close(): Promise<void>;
}

export interface KeywardTokenSetup extends AgentTaskSetup {
  keyward: Keyward;
  url: string;
}

const SPONSOR_AUD = 'keyward-sponsors';

export async function setUpKeywardTokens(options: { databaseUrl?: string; pgSchema?: string } = {}) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'keyward-bench-tokens-'));
  const config = loadConfig(
    {
      dataDir,
      port: 0,
      logLevel: 'silent',
      ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
    },
    {},
  );
  const keyward = await createKeyward(config, options.pgSchema ? { pgSchema: options.pgSchema } : {});
  const url = await keyward.http.listen({ host: '127.0.0.1', port: 0 });
  const s = keyward.services;
  const idp: TestIssuer = await startTestIssuer('ES256');
  await s.federationIssuers.create('bench', {
    issuer: idp.issuer,
    audiences: [SPONSOR_AUD],
    rules: [{ subjectRegex: 'user:[a-z0-9-]+', humanEmailClaim: 'email' }],
  } as never);
  const sponsor = await s.humans.create('bench', {
    email: 'bench-sponsor@example.com',
    name: 'Bench Sponsor',
  });
  const agent = await s.identities.create('bench', {
    name: 'bench-agent',
    kind: 'agent',
    environment: 'dev',
  });
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = 'bench-agent-key';
  await s.identityKeys.register('bench', agent.id, { ...(await exportJWK(publicKey)), kid } as never);
  const resource = 'bench-api';
  const scope = `read:${resource}`;
  const res = await fetch(`${url}/v1/tasks`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-keyward-client-assertion': await clientAssertion({
        clientId: agent.id,
        privateKey,
        kid,
        audience: url,
      }),
      'x-keyward-sponsor-token': await idp.sign({
        sub: 'user:bench-sponsor',
        aud: SPONSOR_AUD,
        email: sponsor.email,
      }),
    },
    body: JSON.stringify({
      agent: agent.id,
      sponsor: sponsor.id,
      intent: 'benchmark token issuance',
      scopes: [scope],
      environment: 'dev',
      ttlSeconds: 3600,
    }),
  });
  const task = (await res.json()) as { id?: string; task?: { id: string } };
  const taskId = task.id ?? task.task?.id;
  if (!res.ok || !taskId)
    throw new Error(`could not open the benchmark task: ${res.status} ${JSON.stringify(task)}`);
  return {
    keyward,
    url,
    adminToken: keyward.bootstrapToken ?? '',
    agentId: agent.id,
    agentKey: privateKey,
    kid,
    taskId,
    resource,
    scope,
    async close() {
      await keyward.close();
      await idp.close();
    },
  } satisfies KeywardTokenSetup;
}
