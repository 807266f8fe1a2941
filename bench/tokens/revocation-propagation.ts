/**
 * Revocation propagation as a resource server sees it: an SDK verifier (createNodeVerifier)
 * subscribed to one Keyward's SSE revocation feed; tokens are revoked one by one through another
 * (or the same) Keyward's `POST /v1/revocations`, and for each we time from the revoke call's
 * response until the verifier refuses the token (`token_revoked`). A refusal that lands before
 * the response counts as 0 ms.
 */

import { KeywardVerifyError } from '@keyward/sdk';
import { createNodeVerifier } from '@keyward/sdk/node';

export interface PropagationSetup {
  /** The `iss` of the tokens (KEYWARD_ISSUER of the deployment). */
  issuer: string;
  audience: string;
  /** Where revocations are made. */
  revokeUrl: string;
  /** Where the verifier reads the JWKS and subscribes to the feed. */
  feedUrl: string;
  adminToken: string;
  tokens: ReadonlyArray<{ token: string; jti: string }>;
}

export async function measureRevocationPropagation(s: PropagationSetup): Promise<number[]> {
  let wake: (() => void) | undefined;
  const verifier = createNodeVerifier({
    issuer: s.issuer,
    audience: s.audience,
    apiToken: s.adminToken,
    jwksUrl: `${s.feedUrl}/.well-known/jwks.json`,
    revocationFeedUrl: `${s.feedUrl}/v1/revocations/feed`,
    revocationEventsUrl: `${s.feedUrl}/v1/revocations/events`,
    onRevocation: () => wake?.(),
  });
  const refused = async (token: string): Promise<boolean> => {
    try {
      await verifier.verify(token);
      return false;
    } catch (err) {
      if (err instanceof KeywardVerifyError && err.code === 'token_revoked') return true;
      throw err;
    }
  };
  const samples: number[] = [];
  try {
    await verifier.subscribe();
    for (const { token, jti } of s.tokens) {
      if (await refused(token)) throw new Error('token refused before its revocation');
      let refusedAt: number | undefined;
      wake = () => {
        refusedAt ??= performance.now();
      };
      const res = await fetch(`${s.revokeUrl}/v1/revocations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${s.adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'token', id: jti, reason: 'revocation propagation bench' }),
      });
      const answered = performance.now();
      if (!res.ok) throw new Error(`revocation failed: ${res.status} ${await res.text()}`);
      const deadline = answered + 10_000;
      while (!(await refused(token))) {
        if (performance.now() > deadline) throw new Error(`token ${jti} still accepted after 10 s`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 2);
          wake = () => {
            refusedAt ??= performance.now();
            clearTimeout(timer);
            resolve();
          };
        });
      }
      const at = refusedAt ?? performance.now();
      samples.push(Math.max(0, at - answered));
    }
  } finally {
    verifier.close();
  }
  return samples;
}
