/**
 * Fixtures for task and token tests on a real server: an agent identity with a registered ES256
 * key (and fresh client assertions for it), a sponsor human reachable through a local OIDC issuer
 * (sponsor ID tokens), opening tasks over HTTP, and form posts to the OAuth endpoints.
 */
import { randomUUID } from 'node:crypto';
import type { Human, Identity } from '@keyward/sdk';
import { type CryptoKey, exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { TestIssuer } from './oidc-test-issuer.js';
import type { TestServer } from './test-server.js';

export const SPONSOR_AUD = 'keyward-sponsors';

/** A parsed JSON response body, loosely typed for assertions. */
// biome-ignore lint/suspicious/noExplicitAny: test assertions read arbitrary response fields
export type Json = any;

export interface Agent {
  identity: Identity;
  privateKey: CryptoKey;
  kid: string;
  assertion(claims?: Record<string, unknown>, key?: CryptoKey): Promise<string>;
}

export async function createAgent(
  srv: TestServer,
  name: string,
  environment = 'dev',
  extra: Partial<Pick<Identity, 'ownerId' | 'purpose' | 'reviewDate'>> = {},
): Promise<Agent> {
  const identity = await srv.keyward.services.identities.create('test', {
    name,
    kind: 'agent',
    environment,
    ...extra,
  });
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = `${name}-key`;
  await srv.keyward.services.identityKeys.register('test', identity.id, {
    ...(await exportJWK(publicKey)),
    kid,
  } as never);
  const nowS = () => Math.floor(Date.now() / 1000);
  return {
    identity,
    privateKey,
    kid,
    assertion: (claims = {}, key = privateKey) =>
      new SignJWT({
        iss: identity.id,
        sub: identity.id,
        aud: srv.url,
        iat: nowS(),
        exp: nowS() + 60,
        jti: randomUUID(),
        ...claims,
      })
        .setProtectedHeader({ alg: 'ES256', kid })
        .sign(key),
  };
}

/** A sponsor human plus a federation issuer mapping `user:<local>` (email claim) to humans. */
export async function setUpSponsors(srv: TestServer, idp: TestIssuer): Promise<void> {
  await srv.keyward.services.federationIssuers.create('test', {
    issuer: idp.issuer,
    audiences: [SPONSOR_AUD],
    rules: [{ subjectRegex: 'user:[a-z0-9-]+', humanEmailClaim: 'email' }],
  } as never);
}

export async function createSponsor(srv: TestServer, local: string): Promise<Human> {
  return srv.keyward.services.humans.create('test', { email: `${local}@example.com`, name: local });
}

export const sponsorToken = (idp: TestIssuer, human: Human, extra: Record<string, unknown> = {}) =>
  idp.sign({ sub: `user:${human.email.split('@')[0]}`, aud: SPONSOR_AUD, email: human.email, ...extra });

export async function post(
  srv: TestServer,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Json }> {
  const res = await fetch(srv.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

export async function form(
  srv: TestServer,
  path: string,
  params: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Json }> {
  const res = await fetch(srv.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(params).toString(),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

export interface OpenTaskOptions {
  scopes?: unknown[];
  ttlSeconds?: number;
  parentTaskId?: string;
  parentToken?: string;
  sponsorToken?: string;
  environment?: string;
}

export async function openTask(
  srv: TestServer,
  agent: Agent,
  sponsor: Human,
  idp: TestIssuer,
  o: OpenTaskOptions = {},
) {
  const headers: Record<string, string> = { 'x-keyward-client-assertion': await agent.assertion() };
  if (o.parentToken) headers['x-keyward-parent-token'] = o.parentToken;
  else headers['x-keyward-sponsor-token'] = o.sponsorToken ?? (await sponsorToken(idp, sponsor));
  return post(
    srv,
    '/v1/tasks',
    {
      agent: agent.identity.id,
      ...(o.parentToken ? {} : { sponsor: sponsor.id }),
      intent: 'reconcile yesterday’s payments',
      scopes: o.scopes ?? ['read:payments-db', 'write:res:ledger-*'],
      environment: o.environment ?? 'dev',
      ttlSeconds: o.ttlSeconds ?? 600,
      ...(o.parentTaskId ? { parentTaskId: o.parentTaskId } : {}),
    },
    headers,
  );
}

export const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
export const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const TT = {
  accessToken: 'urn:ietf:params:oauth:token-type:access_token',
  idToken: 'urn:ietf:params:oauth:token-type:id_token',
  jwt: 'urn:ietf:params:oauth:token-type:jwt',
};

/** client_credentials for `agent` on `taskId`. */
export async function clientCredentials(
  srv: TestServer,
  agent: Agent,
  taskId: string,
  extra: Record<string, string> = {},
) {
  return form(srv, '/oauth2/token', {
    grant_type: 'client_credentials',
    client_assertion_type: ASSERTION_TYPE,
    client_assertion: await agent.assertion(),
    task_id: taskId,
    resource: 'payments-db',
    scope: 'read:payments-db',
    ...extra,
  });
}

export async function exchange(
  srv: TestServer,
  actor: Agent,
  taskId: string,
  subjectToken: string,
  extra: Record<string, string> = {},
) {
  return form(srv, '/oauth2/token', {
    grant_type: TOKEN_EXCHANGE,
    client_assertion_type: ASSERTION_TYPE,
    client_assertion: await actor.assertion(),
    subject_token: subjectToken,
    subject_token_type: TT.accessToken,
    task_id: taskId,
    resource: 'payments-db',
    scope: 'read:payments-db',
    ...extra,
  });
}

export async function introspect(srv: TestServer, token: string) {
  return form(srv, '/oauth2/introspect', { token }, { authorization: `Bearer ${srv.adminToken}` });
}
