/**
 * Shared fixtures for the SDK verifier tests: access tokens and Security Event Tokens minted by a
 * real Keyward's signing key (what the token endpoint and the revocation feed will sign).
 */
import { randomUUID } from 'node:crypto';
import { CAEP_SESSION_REVOKED, type RevocationKind } from '@keyward/sdk';
import type { TestServer } from './test-server.js';

export const RESOURCE = 'https://tickets.example.com';
export const nowS = () => Math.floor(Date.now() / 1000);

export function tokenMinter(srv: TestServer) {
  const issuer = srv.keyward.issuer();
  /** An at+jwt like the token endpoint issues; `claims` override or (undefined) remove defaults. */
  function mint(claims: Record<string, unknown> = {}, typ = 'at+jwt'): string {
    const base: Record<string, unknown> = {
      iss: issuer,
      sub: 'hum_01SPONSOR',
      aud: RESOURCE,
      jti: randomUUID(),
      client_id: 'nhi_01AGENT',
      scope: 'tickets:read tickets:write',
      task_id: 'task_01TRIAGE',
      env: 'prod',
      ...claims,
    };
    for (const [k, v] of Object.entries(base)) if (v === undefined) delete base[k];
    const explicitTimes = 'exp' in claims || 'iat' in claims;
    if (explicitTimes) {
      base['exp'] ??= nowS() + 300;
      return srv.keyward.services.signingKeys.signJwt(base, { typ });
    }
    return srv.keyward.services.signingKeys.signJwt(base, { typ, expiresInSeconds: 300 });
  }

  /** A revocation SET (RFC 8417) as the feed will carry it. */
  function revocationSet(kind: RevocationKind, id: string, eventTimestamp = nowS()): string {
    return srv.keyward.services.signingKeys.signJwt(
      {
        iss: issuer,
        jti: randomUUID(),
        events: {
          [CAEP_SESSION_REVOKED]: { subject: { format: 'opaque', id }, event_timestamp: eventTimestamp },
        },
        keyward_revocation: { kind, id },
      },
      { typ: 'secevent+jwt', expiresInSeconds: 3600 },
    );
  }

  return { issuer, mint, revocationSet };
}
