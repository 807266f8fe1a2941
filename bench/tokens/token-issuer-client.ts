/**
 * Issues access tokens over HTTP the way an agent does (client_credentials, private_key_jwt),
 * for the revocation benchmark, which needs real tokens with real jtis to revoke.
 */
import { decodeJwt } from 'jose';
import { type AssertionClient, clientAssertion } from './assertion-load.js';

export async function issueTokens(opts: {
  url: string;
  client: AssertionClient;
  taskId: string;
  resource: string;
  scope: string;
  count: number;
}): Promise<Array<{ token: string; jti: string }>> {
  const tokens: Array<{ token: string; jti: string }> = [];
  for (let i = 0; i < opts.count; i++) {
    const res = await fetch(`${opts.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: await clientAssertion(opts.client),
        task_id: opts.taskId,
        resource: opts.resource,
        scope: opts.scope,
      }),
    });
    const body = (await res.json()) as { access_token?: string };
    if (!res.ok || !body.access_token)
      throw new Error(`token request failed: ${res.status} ${JSON.stringify(body)}`);
    tokens.push({ token: body.access_token, jti: String(decodeJwt(body.access_token).jti) });
  }
  return tokens;
}
