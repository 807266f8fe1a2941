/**
 * Lets the server-side test fixtures (agent on a task, sponsors, federation issuer) drive a Keyward
 * running as a separate `keyward serve` process: the few service calls they make are sent to the
 * matching HTTP endpoints with the admin token instead.
 */
import type { TestServer } from '../../keyward/test/test-server.js';

async function post(url: string, token: string, path: string, body: unknown): Promise<unknown> {
  const res = await fetch(url + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${text}`);
  return JSON.parse(text);
}

export function remoteServer(url: string, adminToken: string): TestServer {
  const call = (path: string) => (_actor: string, body: unknown) => post(url, adminToken, path, body);
  const services = {
    identities: { create: call('/v1/identities') },
    humans: { create: call('/v1/humans') },
    federationIssuers: { create: call('/v1/federation/issuers') },
    identityKeys: {
      register: (_actor: string, id: string, jwk: unknown) =>
        post(url, adminToken, `/v1/identities/${id}/keys`, jwk),
    },
  };
  return {
    url,
    adminToken,
    keyward: { services } as never,
    dataDir: '',
    pgSchema: undefined,
    close: async () => {},
  };
}
