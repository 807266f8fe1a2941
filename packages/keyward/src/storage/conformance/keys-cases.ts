/**
 * Conformance cases for signing keys, identity public keys, used jtis and federation issuers.
 */
import { describe, expect, it } from 'vitest';
import { newId } from '../../ids.js';
import type { FederationIssuer, IdentityKeyRecord, SigningKeyRecord } from '../storage-types.js';
import { rejectsWith, type StoreRef } from './conformance-fixtures.js';

let n = 0;
const aSigningKey = (over: Partial<SigningKeyRecord> = {}): SigningKeyRecord => ({
  kid: `kid-${++n}`,
  alg: 'ES256',
  status: 'active',
  publicJwk: { kty: 'EC', crv: 'P-256', x: 'x', y: 'y', kid: `kid-${n}` },
  privateKeySealed: 'kw1.mk.n.c.t',
  createdAt: `2025-01-01T00:00:${String(n % 60).padStart(2, '0')}.000Z`,
  retiredAt: null,
  ...over,
});
const anIdentityKey = (identityId: string, over: Partial<IdentityKeyRecord> = {}): IdentityKeyRecord => ({
  identityId,
  kid: `k-${++n}`,
  thumbprint: `t-${n}`,
  publicJwk: { kty: 'OKP', crv: 'Ed25519', x: `x${n}` },
  createdAt: '2025-01-01T00:00:00.000Z',
  ...over,
});
const anIssuer = (over: Partial<FederationIssuer> = {}): FederationIssuer => ({
  id: newId('federationIssuer'),
  issuer: `https://issuer-${++n}.example`,
  jwksUri: null,
  jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y' }] },
  audiences: ['keyward'],
  algorithms: ['ES256'],
  rules: [
    {
      subject: 'system:serviceaccount:*:*',
      requiredClaims: { ok: true, n: 1 },
      identityId: newId('identity'),
    },
  ],
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
  version: 1,
  ...over,
});

export function keysCases(store: StoreRef): void {
  describe('signing keys', () => {
    it('round-trips, allows one active key only, retires once, lists oldest first', async () => {
      const s = store();
      const a = aSigningKey();
      await s.signingKeys.create(a);
      expect(await s.signingKeys.get(a.kid)).toEqual(a);
      expect(await s.signingKeys.getActive()).toEqual(a);
      await rejectsWith(s.signingKeys.create(aSigningKey()), 'conflict'); // a second active key
      await rejectsWith(s.signingKeys.create(aSigningKey({ kid: a.kid, status: 'retired' })), 'conflict');
      expect(await s.signingKeys.retire(a.kid, '2025-02-01T00:00:00.000Z')).toBe(true);
      expect(await s.signingKeys.retire(a.kid, '2025-03-01T00:00:00.000Z')).toBe(false);
      expect(await s.signingKeys.getActive()).toBeUndefined();
      const b = aSigningKey({ alg: 'EdDSA' });
      await s.signingKeys.create(b);
      const listed = await s.signingKeys.list();
      expect(listed.map((k) => k.kid)).toEqual([a.kid, b.kid]);
      expect(listed[0]).toMatchObject({ status: 'retired', retiredAt: '2025-02-01T00:00:00.000Z' });
      expect(await s.signingKeys.get('nope')).toBeUndefined();
    });

    it('deletes only retired keys retired before the cutoff, never the active one', async () => {
      const s = store();
      const old = aSigningKey({ status: 'retired', retiredAt: '2025-01-01T00:00:00.000Z' });
      const recent = aSigningKey({ status: 'retired', retiredAt: '2025-06-01T00:00:00.000Z' });
      const active = aSigningKey();
      for (const k of [old, recent, active]) await s.signingKeys.create(k);
      expect(await s.signingKeys.deleteRetiredBefore('2025-03-01T00:00:00.000Z')).toEqual([old.kid]);
      expect(await s.signingKeys.deleteRetiredBefore('2030-01-01T00:00:00.000Z')).toEqual([recent.kid]);
      expect((await s.signingKeys.list()).map((k) => k.kid)).toEqual([active.kid]);
    });

    it('a transaction that throws leaves no key behind', async () => {
      const s = store();
      const k = aSigningKey();
      await s
        .transaction(async (tx) => {
          await tx.signingKeys.create(k);
          throw new Error('boom');
        })
        .catch(() => {});
      expect(await s.signingKeys.get(k.kid)).toBeUndefined();
    });
  });

  describe('identity keys', () => {
    it('round-trips, refuses duplicate kid or thumbprint per identity, deletes', async () => {
      const s = store();
      const id = newId('identity');
      const k1 = anIdentityKey(id);
      await s.identityKeys.create(k1);
      expect(await s.identityKeys.get(id, k1.kid)).toEqual(k1);
      await rejectsWith(s.identityKeys.create(anIdentityKey(id, { kid: k1.kid })), 'conflict');
      await rejectsWith(s.identityKeys.create(anIdentityKey(id, { thumbprint: k1.thumbprint })), 'conflict');
      const other = anIdentityKey(newId('identity'), { kid: k1.kid, thumbprint: k1.thumbprint });
      await s.identityKeys.create(other); // another identity may hold the same key
      const k2 = anIdentityKey(id);
      await s.identityKeys.create(k2);
      expect((await s.identityKeys.listFor(id)).map((k) => k.kid)).toEqual([k1.kid, k2.kid].sort());
      expect(await s.identityKeys.delete(id, k1.kid)).toEqual(k1);
      expect(await s.identityKeys.delete(id, k1.kid)).toBeUndefined();
      expect(await s.identityKeys.listFor(newId('identity'))).toEqual([]);
    });
  });

  describe('used jtis', () => {
    it('records once (replay is conflict, per issuer) and forgets expired ones', async () => {
      const s = store();
      await s.usedJtis.record('nhi_a', 'j1', '2025-01-01T00:05:00.000Z');
      await rejectsWith(s.usedJtis.record('nhi_a', 'j1', '2025-01-01T00:05:00.000Z'), 'conflict');
      await s.usedJtis.record('nhi_b', 'j1', '2025-01-01T00:10:00.000Z');
      expect(await s.usedJtis.deleteExpired('2025-01-01T00:06:00.000Z')).toBe(1);
      await s.usedJtis.record('nhi_a', 'j1', '2025-01-01T00:15:00.000Z'); // forgotten, so usable again
      await rejectsWith(s.usedJtis.record('nhi_b', 'j1', '2025-01-01T00:10:00.000Z'), 'conflict');
      const until = '2025-01-01T00:20:00.000Z';
      expect(
        await s.usedJtis.recordMany([
          { issuer: 'nhi_a', jti: 'j2', expiresAt: until },
          { issuer: 'nhi_a', jti: 'j1', expiresAt: until }, // used above
          { issuer: 'nhi_c', jti: 'j2', expiresAt: until },
          { issuer: 'nhi_a', jti: 'j2', expiresAt: until }, // repeats the first entry
        ]),
      ).toEqual([true, false, true, false]);
      await rejectsWith(s.usedJtis.record('nhi_c', 'j2', until), 'conflict');
      expect(await s.usedJtis.recordMany([])).toEqual([]);
    });

    it('records many the same way inside a transaction (the issuance commit), and a rollback keeps none', async () => {
      const s = store();
      const until = '2025-01-01T00:20:00.000Z';
      await s.usedJtis.record('tx_a', 'used', until);
      const batch = [
        { issuer: 'tx_a', jti: 'fresh', expiresAt: until },
        { issuer: 'tx_a', jti: 'used', expiresAt: until },
        { issuer: 'tx_b', jti: 'fresh', expiresAt: until },
        { issuer: 'tx_a', jti: 'fresh', expiresAt: until },
      ];
      expect(await s.transaction((tx) => tx.usedJtis.recordMany(batch))).toEqual([true, false, true, false]);
      await rejectsWith(s.usedJtis.record('tx_b', 'fresh', until), 'conflict');
      const rolledBack = s.transaction(async (tx) => {
        expect(await tx.usedJtis.recordMany([{ issuer: 'tx_c', jti: 'gone', expiresAt: until }])).toEqual([
          true,
        ]);
        throw new Error('roll back');
      });
      await expect(rolledBack).rejects.toThrow('roll back');
      await s.usedJtis.record('tx_c', 'gone', until);
    });
  });

  describe('federation issuers', () => {
    it('round-trips, keeps issuer unique, updates by version, lists and deletes', async () => {
      const s = store();
      const f = anIssuer();
      await s.federationIssuers.create(f);
      expect(await s.federationIssuers.get(f.id)).toEqual(f);
      expect(await s.federationIssuers.getByIssuer(f.issuer)).toEqual(f);
      await rejectsWith(s.federationIssuers.create(anIssuer({ issuer: f.issuer })), 'conflict');
      const next = { ...f, jwks: null, jwksUri: 'https://x.example/keys', version: 2 };
      await s.federationIssuers.update(next, 1);
      expect(await s.federationIssuers.get(f.id)).toEqual(next);
      await rejectsWith(s.federationIssuers.update({ ...next, version: 2 }, 1), 'version_conflict');
      await rejectsWith(s.federationIssuers.update(anIssuer({ version: 2 }), 1), 'not_found');
      const g = anIssuer();
      await s.federationIssuers.create(g);
      const page = await s.federationIssuers.list({ limit: 1 });
      expect(page.items.map((i) => i.id)).toEqual([f.id]);
      expect((await s.federationIssuers.list({ cursor: page.nextCursor! })).items.map((i) => i.id)).toEqual([
        g.id,
      ]);
      expect(await s.federationIssuers.delete(f.id)).toEqual(next);
      expect(await s.federationIssuers.delete(f.id)).toBeUndefined();
    });
  });
}
