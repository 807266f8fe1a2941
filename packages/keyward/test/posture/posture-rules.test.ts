/**
 * Each posture rule on a real SQLite store, loaded through discovery's import service: identities
 * that must trigger it and identities that must not (the near misses).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { F, type Fixture, identity, openFixture, resource } from './posture-fixture.js';

let fx: Fixture;
beforeEach(async () => {
  fx = await openFixture();
});
afterEach(async () => {
  await fx.close();
});

const OLD = '2025-01-01T00:00:00.000Z';
const RECENT = '2026-05-20T00:00:00.000Z';

async function evaluate() {
  return fx.engine.evaluate('tester');
}

describe('NHI1', () => {
  it('owner-gone: a live identity owned by an inactive human', async () => {
    await fx.load((b) => {
      b.identities.push(
        identity('orphan', { ownerEmail: 'bob@example.com' }),
        identity('owned', { ownerEmail: 'ada@example.com' }),
        identity('ownerless'),
      );
    });
    await evaluate();
    expect(await fx.flagged('owner-gone')).toEqual(['orphan']);
  });

  it('unused-identity: active and unused for more than 90 days', async () => {
    await fx.load((b) => {
      b.identities.push(
        identity('dormant', { firstSeen: OLD, lastSeen: '2026-01-01T00:00:00.000Z' }),
        identity('busy', { firstSeen: OLD, lastSeen: RECENT }),
        identity('used-key', { firstSeen: OLD, credential: { lastUsedAt: RECENT } }),
      );
    });
    await evaluate();
    expect(await fx.flagged('unused-identity')).toEqual(['dormant']);
  });
});

describe('NHI3 and NHI5', () => {
  it('third-party-broad-grant: an oauth app or bot with wildcard or admin grants, not a service account', async () => {
    await fx.load((b) => {
      b.identities.push(
        identity('wide-app', { kind: 'oauth_app' }),
        identity('narrow-app', { kind: 'oauth_app' }),
        identity('admin-bot', { kind: 'bot' }),
        identity('wide-sa'),
        identity('everywhere-bot', { kind: 'bot' }),
        identity('most-places-bot', { kind: 'bot' }),
      );
      b.resources.push(resource('repos', { sensitivity: 'high' }));
      for (let i = 0; i < 10; i++) {
        b.resources.push(resource(`repo-${i}`));
        b.edges.push({
          kind: 'has_permission',
          from: 'everywhere-bot',
          to: `repo-${i}`,
          actions: ['read', 'write'],
          foundIn: F,
        });
        if (i < 9)
          b.edges.push({
            kind: 'has_permission',
            from: 'most-places-bot',
            to: `repo-${i}`,
            actions: ['read', 'write'],
            foundIn: F,
          });
      }
      b.edges.push(
        {
          kind: 'has_permission',
          from: 'wide-app',
          to: 'repos',
          actions: ['read'],
          foundIn: F,
          details: { wildcard: true },
        },
        { kind: 'has_permission', from: 'narrow-app', to: 'repos', actions: ['read'], foundIn: F },
        { kind: 'has_permission', from: 'admin-bot', to: 'repos', actions: ['admin'], foundIn: F },
        {
          kind: 'has_permission',
          from: 'wide-sa',
          to: 'repos',
          actions: ['read'],
          foundIn: F,
          details: { wildcard: true },
        },
      );
    });
    await evaluate();
    expect(await fx.flagged('third-party-broad-grant')).toEqual(['admin-bot', 'everywhere-bot', 'wide-app']);
  });

  it('over-privileged: wildcard or admin-equivalent grants; critical when the reach holds a critical resource', async () => {
    await fx.load((b) => {
      b.identities.push(identity('star'), identity('s3-all'), identity('reader'), identity('to-prod'));
      b.resources.push(
        resource('logs', { sensitivity: 'low' }),
        resource('vault', { sensitivity: 'critical' }),
      );
      b.edges.push(
        { kind: 'has_permission', from: 'star', to: 'logs', actions: ['*'], foundIn: F },
        { kind: 'has_permission', from: 's3-all', to: 'logs', actions: ['s3:*'], foundIn: F },
        { kind: 'has_permission', from: 'reader', to: 'logs', actions: ['s3:GetObject'], foundIn: F },
        {
          kind: 'has_permission',
          from: 'to-prod',
          to: 'vault',
          actions: ['read'],
          foundIn: F,
          details: { wildcard: true },
        },
      );
    });
    await evaluate();
    expect(await fx.flagged('over-privileged')).toEqual(['s3-all', 'star', 'to-prod']);
    const toProd = await fx.id('to-prod');
    const [f] = (await fx.findings('over-privileged')).filter((x) => x.identityId === toProd);
    expect(f?.severity).toBe('critical');
    expect(f?.code).toBe('NHI5');
    expect(f?.evidence['reach']).toMatchObject({ critical: 1 });
  });
});

describe('NHI4', () => {
  it('static-key-federable: an active AWS key on an identity a workload assumes', async () => {
    await fx.load((b) => {
      b.identities.push(
        identity('keyed'),
        identity('keyed-alone'),
        identity('keyed-revoked'),
        identity('pod', { kind: 'workload' }),
      );
      b.edges.push(
        { kind: 'can_assume', from: 'pod', to: 'keyed', foundIn: F },
        { kind: 'can_assume', from: 'pod', to: 'keyed-revoked', foundIn: F },
      );
      const key = (id: string, owner: string, status: 'active' | 'revoked') => ({
        externalId: id,
        identity: owner,
        kind: 'aws_access_key' as const,
        status,
        hint: id,
        createdAt: RECENT,
        expiresAt: '2026-12-01T00:00:00.000Z',
        foundIn: F,
      });
      b.credentials.push(
        key('AKIAFAKE0001', 'keyed', 'active'),
        key('AKIAFAKE0002', 'keyed-alone', 'active'),
        key('AKIAFAKE0003', 'keyed-revoked', 'revoked'),
      );
    });
    await evaluate();
    expect(await fx.flagged('static-key-federable')).toEqual(['keyed']);
  });

  it('non-expiring-credential: an active key or token with no expiry, one finding per credential', async () => {
    await fx.load((b) => {
      b.identities.push(
        identity('forever'),
        identity('expiring'),
        identity('deploy-key-only'),
        identity('bare-token', { kind: 'token' }),
        identity('dated-token', { kind: 'token', credential: { expiresAt: '2026-09-01T00:00:00.000Z' } }),
      );
      const cred = (
        id: string,
        owner: string,
        kind: 'api_key' | 'github_deploy_key',
        expiresAt?: string,
      ) => ({
        externalId: id,
        identity: owner,
        kind,
        status: 'active' as const,
        createdAt: RECENT,
        ...(expiresAt ? { expiresAt } : {}),
        foundIn: F,
      });
      b.credentials.push(
        cred('k1', 'forever', 'api_key'),
        cred('k2', 'forever', 'api_key'),
        cred('k3', 'expiring', 'api_key', '2026-07-01T00:00:00.000Z'),
        cred('k4', 'deploy-key-only', 'github_deploy_key'),
      );
    });
    await evaluate();
    expect(await fx.flagged('non-expiring-credential')).toEqual(['bare-token', 'forever']);
    expect(await fx.findings('non-expiring-credential')).toHaveLength(3);
  });

  it('password-auth: discovery saw password sign-in enabled', async () => {
    await fx.load((b) => {
      b.identities.push(
        identity('console-user', { details: { passwordAuth: true, mfaActive: false } }),
        identity('api-user', { details: { mfaActive: false } }),
      );
    });
    await evaluate();
    expect(await fx.flagged('password-auth')).toEqual(['console-user']);
  });
});

describe('NHI6', () => {
  it('ci-static-cloud-key: CI reads an Actions secret flagged as a static cloud key', async () => {
    await fx.load((b) => {
      b.identities.push(
        identity('repo-ci', { kind: 'workload' }),
        identity('repo-clean', { kind: 'workload' }),
      );
      b.resources.push(
        resource('secret/AWS_SECRET_ACCESS_KEY', { kind: 'secret_store', details: { staticCloudKey: true } }),
        resource('secret/NPM_TOKEN', { kind: 'secret_store' }),
      );
      b.edges.push(
        {
          kind: 'has_permission',
          from: 'repo-ci',
          to: 'secret/AWS_SECRET_ACCESS_KEY',
          actions: ['secrets:read'],
          foundIn: F,
        },
        {
          kind: 'has_permission',
          from: 'repo-clean',
          to: 'secret/NPM_TOKEN',
          actions: ['secrets:read'],
          foundIn: F,
        },
      );
    });
    await evaluate();
    expect(await fx.flagged('ci-static-cloud-key')).toEqual(['repo-ci']);
  });

  it('broad-oidc-trust: a trust that accepts any subject or anyone', async () => {
    await fx.load((b) => {
      b.identities.push(
        identity('github-oidc', { kind: 'workload' }),
        identity('open-role'),
        identity('pinned-role'),
        identity('public-role'),
        identity('github-actions-oidc:acme/*', { kind: 'oauth_app' }),
        identity('deploy-role'),
      );
      b.resources.push(resource('anyone', { kind: 'service', sensitivity: 'critical' }));
      b.edges.push(
        {
          kind: 'can_assume',
          from: 'github-oidc',
          to: 'open-role',
          foundIn: F,
          details: { broadSubject: true, subjects: ['repo:acme/*'] },
        },
        {
          kind: 'can_assume',
          from: 'github-oidc',
          to: 'pinned-role',
          foundIn: F,
          details: { broadSubject: false },
        },
        { kind: 'can_assume', from: 'anyone', to: 'public-role', foundIn: F, details: { anyone: true } },
        { kind: 'can_assume', from: 'github-actions-oidc:acme/*', to: 'deploy-role', foundIn: F },
      );
    });
    await evaluate();
    expect(await fx.flagged('broad-oidc-trust')).toEqual(['deploy-role', 'open-role', 'public-role']);
    const publicId = await fx.id('public-role');
    expect((await fx.findings('broad-oidc-trust')).find((f) => f.identityId === publicId)?.severity).toBe(
      'critical',
    );
  });
});

describe('NHI7', () => {
  it('rotation-overdue: past its own period or the 90-day default', async () => {
    await fx.load((b) => {
      b.identities.push(
        identity('stale-secret', { credential: { lastRotatedAt: '2026-01-01T00:00:00.000Z' } }),
        identity('fresh-secret', { credential: { lastRotatedAt: RECENT } }),
        identity('long-period', {
          credential: { lastRotatedAt: '2026-01-01T00:00:00.000Z', rotationPeriodDays: 365 },
        }),
        identity('pod-federated', { kind: 'workload', credential: { createdAt: OLD } }),
        identity('old-key-holder'),
      );
      b.credentials.push({
        externalId: 'AKIAFAKE0009',
        identity: 'old-key-holder',
        kind: 'aws_access_key',
        status: 'active',
        createdAt: OLD,
        foundIn: F,
      });
    });
    await evaluate();
    expect(await fx.flagged('rotation-overdue')).toEqual(['old-key-holder', 'stale-secret']);
  });

  it('secret-without-expiry: a stored secret with no expiry and no review date', async () => {
    await fx.load((b) => {
      b.identities.push(
        identity('bare-key', { kind: 'api_key' }),
        identity('dated-key', { kind: 'api_key', credential: { expiresAt: '2026-09-01T00:00:00.000Z' } }),
        identity('reviewed-token', { kind: 'token', reviewDate: '2026-09-01T00:00:00.000Z' }),
        identity('sa'),
      );
    });
    const at = new Date(fx.clock.ms).toISOString();
    for (const name of ['bare-key', 'dated-key', 'reviewed-token']) {
      const i = (await fx.store.identities.get(await fx.id(name)))!;
      const next = {
        ...i,
        secretLocations: [{ store: 'vault', ref: `kv/${name}` }],
        updatedAt: at,
        version: i.version + 1,
      };
      await fx.store.identities.update(next, i.version);
    }
    await evaluate();
    expect(await fx.flagged('secret-without-expiry')).toEqual(['bare-key']);
  });
});

describe('NHI8, NHI9, NHI10', () => {
  it('cross-environment: grants into prod and non-prod', async () => {
    await fx.load((b) => {
      b.identities.push(identity('both'), identity('prod-only'), identity('dev-and-test'));
      b.resources.push(
        resource('prod-db', { environment: 'prod' }),
        resource('prod-bucket', { environment: 'prod' }),
        resource('dev-db', { environment: 'dev' }),
        resource('test-db', { environment: 'test' }),
      );
      const grant = (from: string, to: string) => ({
        kind: 'has_permission' as const,
        from,
        to,
        actions: ['read'],
        foundIn: F,
      });
      b.edges.push(
        grant('both', 'prod-db'),
        grant('both', 'dev-db'),
        grant('prod-only', 'prod-db'),
        grant('prod-only', 'prod-bucket'),
        grant('dev-and-test', 'dev-db'),
        grant('dev-and-test', 'test-db'),
      );
    });
    await evaluate();
    expect(await fx.flagged('cross-environment')).toEqual(['both']);
  });

  it('shared-by-workloads: five or more workloads assume it, four do not', async () => {
    await fx.load((b) => {
      b.identities.push(identity('shared'), identity('almost'));
      for (let i = 0; i < 5; i++) {
        b.identities.push(identity(`w${i}`, { kind: 'workload' }));
        b.edges.push({ kind: 'can_assume', from: `w${i}`, to: 'shared', foundIn: F });
        if (i < 4) b.edges.push({ kind: 'can_assume', from: `w${i}`, to: 'almost', foundIn: F });
      }
    });
    await evaluate();
    expect(await fx.flagged('shared-by-workloads')).toEqual(['shared']);
  });

  it('human-use: an open or acknowledged human_use alert, not a resolved one or another kind', async () => {
    await fx.load((b) => {
      b.identities.push(identity('clicked'), identity('acked'), identity('was-clicked'), identity('drifted'));
    });
    const at = new Date(fx.clock.ms).toISOString();
    let n = 0;
    const alert = async (
      name: string,
      kind: 'human_use' | 'scope_drift',
      status: 'open' | 'acknowledged' | 'resolved',
    ) =>
      fx.store.alerts.create({
        id: `alr_0190a0b0c0d0e0f0000000000000000${n++}`,
        identityId: await fx.id(name),
        kind,
        severity: 'high',
        status,
        title: 'browser user agent',
        explanation: 'a browser used the credential',
        baseline: {},
        observed: {},
        eventIds: [],
        eventCount: 1,
        firstSeenAt: at,
        lastSeenAt: at,
        createdAt: at,
        updatedAt: at,
        acknowledgedBy: null,
        acknowledgedAt: null,
        resolvedBy: null,
        resolvedAt: null,
        note: null,
        version: 1,
      });
    await alert('clicked', 'human_use', 'open');
    await alert('acked', 'human_use', 'acknowledged');
    await alert('was-clicked', 'human_use', 'resolved');
    await alert('drifted', 'scope_drift', 'open');
    await evaluate();
    expect(await fx.flagged('human-use')).toEqual(['acked', 'clicked']);
  });
});

describe('disabled identities', () => {
  it('raise no posture finding', async () => {
    await fx.load((b) => {
      b.identities.push(identity('off', { ownerEmail: 'bob@example.com', firstSeen: OLD, kind: 'api_key' }));
    });
    const id = await fx.id('off');
    const i = (await fx.store.identities.get(id))!;
    await fx.store.identities.update({ ...i, status: 'disabled', version: i.version + 1 }, i.version);
    await evaluate();
    expect(await fx.findings()).toEqual([]);
  });
});
