/**
 * Mints Keyward access tokens (RFC 9068 JWT profile: header `typ: at+jwt`). Signing reads memory
 * only; the caller records the returned row (introspection, revocation) in its issuance commit.
 */
import { randomUUID } from 'node:crypto';
import type { SigningKeyService } from '../keys/signing-key-service.js';
import type { IssuedToken, Task } from '../storage/storage-types.js';
import type { DelegationActor } from './delegation-chain.js';

export interface MintRequest {
  task: Task;
  /** `sub`: the agent, or for exchanged tokens the original subject (sponsor or upstream sub). */
  subject: string;
  /** The authenticated client (the acting agent). */
  clientId: string;
  audience: string;
  scope: string;
  ttlSeconds: number;
  act?: DelegationActor | undefined;
}

export interface MintedToken {
  accessToken: string;
  jti: string;
  expiresIn: number;
  /** The row to record; not written yet. */
  record: IssuedToken;
}

export function createTokenMinter(deps: {
  signJwt: SigningKeyService['signJwt'];
  issuer: () => string;
  now: () => Date;
}) {
  return function mint(r: MintRequest): MintedToken {
    const jti = randomUUID();
    const claims: Record<string, unknown> = {
      iss: deps.issuer(),
      sub: r.subject,
      aud: r.audience,
      jti,
      client_id: r.clientId,
      scope: r.scope,
      task_id: r.task.id,
      env: r.task.environment,
      sponsor: r.task.sponsorId,
      ...(r.act ? { act: r.act } : {}),
    };
    const accessToken = deps.signJwt(claims, { typ: 'at+jwt', expiresInSeconds: r.ttlSeconds });
    const at = deps.now();
    const record: IssuedToken = {
      jti,
      taskId: r.task.id,
      subject: r.subject,
      clientId: r.clientId,
      issuedAt: at.toISOString(),
      expiresAt: new Date(at.getTime() + r.ttlSeconds * 1000).toISOString(),
      revokedAt: null,
    };
    return { accessToken, jti, expiresIn: r.ttlSeconds, record };
  };
}

export type TokenMinter = ReturnType<typeof createTokenMinter>;
