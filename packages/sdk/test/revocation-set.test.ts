/** RevocationSet and revocationFromSet: what each revocation kind refuses, and for how long. */
import { describe, expect, it } from 'vitest';
import {
  CAEP_SESSION_REVOKED,
  type Revocation,
  RevocationSet,
  revocationFromSet,
  toVerifiedAccessToken,
} from '../src/index.js';

const token = (claims: Record<string, unknown> = {}) =>
  toVerifiedAccessToken({
    iss: 'i',
    sub: 'hum_S',
    aud: 'a',
    exp: 2_000_000_000,
    iat: 1_700_000_000,
    jti: 'jti-1',
    client_id: 'nhi_C',
    task_id: 'task_T',
    act: { sub: 'nhi_SUB', act: { sub: 'nhi_C' } },
    ...claims,
  });
const rev = (kind: Revocation['kind'], id: string, atS = 1_700_000_000): Revocation => ({
  kind,
  id,
  at: new Date(atS * 1000),
  setId: undefined,
});

describe('revocationFromSet', () => {
  it('reads keyward_revocation and the event timestamp; ignores SETs without one', () => {
    const r = revocationFromSet({
      iat: 10,
      jti: 'set-1',
      events: { [CAEP_SESSION_REVOKED]: { subject: { format: 'opaque', id: 'x' }, event_timestamp: 5 } },
      keyward_revocation: { kind: 'identity', id: 'nhi_X' },
    });
    expect(r).toEqual({ kind: 'identity', id: 'nhi_X', at: new Date(5000), setId: 'set-1' });
    expect(revocationFromSet({ iat: 10, events: {} })).toBeUndefined();
    expect(revocationFromSet({ keyward_revocation: { kind: 'everything', id: 'x' } })).toBeUndefined();
    expect(revocationFromSet({ iat: 10, keyward_revocation: { kind: 'token', id: 'j' } })?.at).toEqual(
      new Date(10_000),
    );
  });
});

describe('RevocationSet', () => {
  it('matches by jti, task, and identity/sponsor anywhere in the chain', () => {
    const set = new RevocationSet(3600);
    expect(set.match(token())).toBeUndefined();
    set.add(rev('token', 'other'));
    expect(set.match(token())).toBeUndefined();
    set.add(rev('identity', 'nhi_SUB'));
    expect(set.match(token())).toEqual({ kind: 'identity', id: 'nhi_SUB' });
    const s2 = new RevocationSet(3600);
    s2.add(rev('sponsor', 'hum_S'));
    expect(s2.match(token())?.kind).toBe('sponsor');
    const s3 = new RevocationSet(3600);
    s3.add(rev('task', 'task_T'));
    expect(s3.match(token({ iat: 1_800_000_000 }))?.kind).toBe('task');
  });

  it('identity revocations spare tokens issued after them', () => {
    const set = new RevocationSet(3600);
    set.add(rev('identity', 'nhi_C', 1_700_000_000));
    expect(set.match(token({ iat: 1_700_000_001 }))).toBeUndefined();
    expect(set.match(token({ iat: 1_700_000_000 }))).toBeDefined();
  });

  it('forgets entries after the retention period', () => {
    let now = 0;
    const set = new RevocationSet(60, () => now);
    set.add(rev('token', 'jti-1'));
    expect(set.size).toBe(1);
    now = 61_000;
    set.add(rev('token', 'jti-2'));
    expect(set.size).toBe(1);
    expect(set.match(token())).toBeUndefined();
  });
});
