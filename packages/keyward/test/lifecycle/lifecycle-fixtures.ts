/**
 * Fixtures for the lifecycle tests: a real Keyward on SQLite (or PostgreSQL) with an injected,
 * movable clock and no timers (jobs run through `lifecycle.runOnce()`), and audit lookups.
 */
import type { Human, Identity } from '@keyward/sdk';
import type { AuditEvent } from '../../src/audit/audit-types.js';
import type { KeywardConfig } from '../../src/config.js';
import { startTestServer, type TestServer } from '../test-server.js';

export interface Clock {
  now: () => Date;
  advance(ms: number): void;
}

export function movableClock(start = Date.now()): Clock {
  let t = start;
  return {
    now: () => new Date(t),
    advance: (ms) => {
      t += ms;
    },
  };
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export async function lifecycleServer(
  clock: Clock,
  config: Partial<KeywardConfig> = {},
  backend: 'sqlite' | 'postgres' = 'sqlite',
): Promise<TestServer> {
  return startTestServer({
    backend,
    now: clock.now,
    maintenanceIntervalMs: 0,
    lifecycleIntervalMs: 0,
    revocationIntervalMs: 60_000,
    config: { offboardingGraceSeconds: 3600, ...config },
  });
}

export async function events(srv: TestServer, type: string, targetId?: string): Promise<AuditEvent[]> {
  return srv.keyward.store.audit.list({ type, ...(targetId ? { targetId } : {}) }, 1000);
}

export async function ownedIdentity(
  srv: TestServer,
  owner: Human,
  name: string,
  extra: Partial<Identity> = {},
): Promise<Identity> {
  return srv.keyward.services.identities.create('test', {
    name,
    kind: 'service_account',
    environment: 'dev',
    ownerId: owner.id,
    ...extra,
  } as never);
}

export async function deactivate(srv: TestServer, human: Human): Promise<Human> {
  const current = await srv.keyward.services.humans.get(human.id);
  return srv.keyward.services.humans.update('test', human.id, { version: current.version, active: false });
}

export const status = async (srv: TestServer, id: string) =>
  (await srv.keyward.services.identities.get(id)).status;
