import { describe, expect, it } from 'vitest';
import { isWellFormedId } from '../ids.js';
import { generateDemoEstate } from './demo-estate.js';

const now = new Date('2025-06-01T00:00:00.000Z');
const estate = generateDemoEstate({ seed: 7, now });
const byId = new Map<string, { name?: string; email?: string }>();
for (const list of [estate.humans, estate.systems, estate.resources, estate.identities]) {
  for (const record of list) byId.set(record.id, record);
}
const nameOf = (id: string) => {
  const r = byId.get(id);
  return r?.name ?? r?.email ?? id;
};
const DAY = 86_400_000;

/** The estate with ids replaced by names, so two runs (different UUIDv7 ids) compare equal. */
function canonical(seed: number): unknown {
  const e = generateDemoEstate({ seed, now });
  const names = new Map<string, string>();
  for (const list of [e.humans, e.systems, e.resources, e.identities]) {
    for (const r of list) names.set(r.id, 'name' in r ? r.name : '');
  }
  const text = JSON.stringify(e).replace(
    /\b(nhi|hum|res|sys|edg)_[0-9a-f]{32}\b/g,
    (id) => names.get(id) ?? 'edge',
  );
  return JSON.parse(text);
}

describe('generateDemoEstate', () => {
  it('produces an estate of realistic size', () => {
    expect(estate.identities.length).toBeGreaterThanOrEqual(250);
    expect(estate.identities.length).toBeLessThanOrEqual(350);
    expect(estate.humans.length).toBeGreaterThanOrEqual(20);
    expect(estate.humans.length).toBeLessThanOrEqual(30);
    expect(estate.systems.length).toBeGreaterThanOrEqual(6);
    expect(estate.resources.length).toBeGreaterThanOrEqual(40);
  });

  it('is deterministic for the same seed and differs for another seed', () => {
    expect(canonical(3)).toEqual(canonical(3));
    expect(canonical(3)).not.toEqual(canonical(4));
  });

  it('creates complete records with well-formed ids and unique names', () => {
    for (const list of [estate.humans, estate.systems, estate.resources, estate.identities]) {
      for (const r of list) {
        expect(isWellFormedId(r.id)).toBe(true);
        expect(r.version).toBe(1);
        expect(r.createdAt).toMatch(/Z$/);
        expect(r.updatedAt).toMatch(/Z$/);
      }
    }
    expect(new Set(estate.identities.map((i) => i.name)).size).toBe(estate.identities.length);
    expect(new Set(estate.resources.map((r) => r.name)).size).toBe(estate.resources.length);
    expect(new Set(estate.humans.map((h) => h.email)).size).toBe(estate.humans.length);
  });

  it('has edges whose endpoints exist, without duplicate (kind, from, to)', () => {
    const keys = new Set<string>();
    for (const edge of estate.edges) {
      expect(byId.has(edge.fromId), `${edge.kind} from ${edge.fromId}`).toBe(true);
      expect(byId.has(edge.toId), `${edge.kind} to ${edge.toId}`).toBe(true);
      const key = `${edge.kind}|${edge.fromId}|${edge.toId}`;
      expect(keys.has(key)).toBe(false);
      keys.add(key);
      if (edge.kind !== 'has_permission') expect(edge.actions).toEqual([]);
    }
  });

  it('gives every active prod identity an owner, a purpose and an end', () => {
    const prod = estate.identities.filter((i) => i.environment === 'prod' && i.status === 'active');
    expect(prod.length).toBeGreaterThan(100);
    for (const i of prod) {
      expect(i.ownerId, i.name).not.toBeNull();
      expect(i.purpose, i.name).toBeTruthy();
      expect(i.credential.expiresAt ?? i.reviewDate, i.name).toBeTruthy();
    }
  });

  it('contains the hygiene problems: owners who left, stale keys, expired credentials, unowned non-prod', () => {
    const leavers = new Set(estate.humans.filter((h) => !h.active).map((h) => h.id));
    expect(leavers.size).toBeGreaterThanOrEqual(4);
    expect(leavers.size).toBeLessThanOrEqual(5);
    const ownedByLeavers = estate.identities.filter((i) => i.ownerId && leavers.has(i.ownerId));
    expect(ownedByLeavers.some((i) => i.status === 'orphaned')).toBe(true);
    expect(ownedByLeavers.some((i) => i.status === 'active')).toBe(true);

    const stale = estate.identities.filter(
      (i) =>
        i.credential.rotationPeriodDays === 90 &&
        i.credential.lastRotatedAt !== undefined &&
        now.getTime() - Date.parse(i.credential.lastRotatedAt) > 400 * DAY,
    );
    expect(stale.length).toBeGreaterThanOrEqual(5);
    const expired = estate.identities.filter(
      (i) => i.credential.expiresAt && Date.parse(i.credential.expiresAt) < now.getTime(),
    );
    expect(expired.length).toBeGreaterThanOrEqual(3);
    expect(estate.identities.some((i) => i.environment !== 'prod' && i.ownerId === null)).toBe(true);
  });

  it('has a human → agent → sub-agent chain', () => {
    const identities = new Map(estate.identities.map((i) => [i.id, i]));
    const sponsored = estate.edges.filter((e) => e.kind === 'sponsors');
    const chain = sponsored.find((s) =>
      estate.edges.some(
        (d) => d.kind === 'delegates_to' && d.fromId === s.toId && identities.get(d.toId)?.kind === 'agent',
      ),
    );
    expect(chain).toBeDefined();
    expect(estate.humans.some((h) => h.id === chain?.fromId)).toBe(true);
    expect(estate.edges.some((e) => e.kind === 'created' && e.toId === chain?.toId)).toBe(true);
  });

  it('has cross-environment reuse and a CI path to the admin role', () => {
    const resources = new Map(estate.resources.map((r) => [r.id, r]));
    const envsReached = new Map<string, Set<string>>();
    for (const e of estate.edges) {
      const env = resources.get(e.toId)?.environment;
      if (e.kind !== 'has_permission' || !env) continue;
      envsReached.set(e.fromId, (envsReached.get(e.fromId) ?? new Set()).add(env));
    }
    const reusing = [...envsReached].filter(([, envs]) => envs.has('prod') && envs.has('dev'));
    expect(reusing.map(([id]) => nameOf(id))).toContain('analytics-shared-key');

    const devInProdStore = estate.edges.some(
      (e) =>
        e.kind === 'stored_in' &&
        estate.identities.find((i) => i.id === e.fromId)?.environment === 'dev' &&
        resources.get(e.toId)?.environment === 'prod',
    );
    expect(devInProdStore).toBe(true);

    const assume = estate.edges
      .filter((e) => e.kind === 'can_assume')
      .map((e) => `${nameOf(e.fromId)}>${nameOf(e.toId)}`);
    expect(assume).toEqual(
      expect.arrayContaining([
        'ci-deployer>ci-deploy-role',
        'ci-deploy-role>terraform-apply-role',
        'terraform-apply-role>org-admin-role',
      ]),
    );
  });

  it('keeps secretLocations and stored_in edges in agreement and labels identities with a team', () => {
    const stored = estate.edges.filter((e) => e.kind === 'stored_in').length;
    const locations = estate.identities.reduce((n, i) => n + i.secretLocations.length, 0);
    expect(locations).toBe(stored);
    expect(estate.identities.filter((i) => i.labels['team']).length).toBeGreaterThan(250);
  });
});
