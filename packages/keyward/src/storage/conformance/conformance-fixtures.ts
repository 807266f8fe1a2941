/**
 * Record builders for the conformance suite: complete, valid records with unique names, each field
 * overridable. Every optional field is filled by default so round-trips exercise all columns.
 */
import type { ApiToken, Edge, Human, Identity, Resource, System } from '@keyward/sdk';
import { expect } from 'vitest';
import { newId } from '../../ids.js';
import { isStorageError, type StorageErrorCode } from '../storage-errors.js';
import type { AuditEventInput, Store } from '../storage-types.js';

let serial = 0;
const next = (): number => ++serial;
const T0 = '2025-01-02T03:04:05.678Z';

export function anIdentity(over: Partial<Identity> = {}): Identity {
  const n = next();
  return {
    id: newId('identity'),
    name: `svc-${n}`,
    kind: 'service_account',
    ownerId: 'hum_0190a0b0c0d0e0f00000000000000001',
    purpose: `Purpose ${n}`,
    environment: 'prod',
    businessSystem: 'billing',
    origin: 'aws',
    originExternalId: `arn:aws:iam::123:role/r${n}`,
    secretLocations: [{ store: 'vault', ref: `kv/app/${n}` }],
    credential: {
      createdAt: T0,
      lastRotatedAt: T0,
      expiresAt: '2026-01-01T00:00:00.000Z',
      lastUsedAt: T0,
      rotationPeriodDays: 90,
    },
    reviewDate: '2025-06-30',
    status: 'active',
    labels: { team: 'payments', 'tier.level': 'one' },
    firstSeen: T0,
    lastSeen: T0,
    createdAt: T0,
    updatedAt: T0,
    version: 1,
    ...over,
  };
}

/** An identity with every nullable field null and every collection empty. */
export const aBareIdentity = (over: Partial<Identity> = {}): Identity =>
  anIdentity({
    ownerId: null,
    purpose: null,
    businessSystem: null,
    originExternalId: null,
    secretLocations: [],
    credential: {},
    reviewDate: null,
    labels: {},
    lastSeen: null,
    ...over,
  });

export function aHuman(over: Partial<Human> = {}): Human {
  const n = next();
  return {
    id: newId('human'),
    email: `person${n}@example.com`,
    name: `Person ${n}`,
    active: true,
    title: 'Engineer',
    createdAt: T0,
    updatedAt: T0,
    version: 1,
    ...over,
  };
}

export function aSystem(over: Partial<System> = {}): System {
  const n = next();
  return {
    id: newId('system'),
    name: `system-${n}`,
    sensitivity: 'high',
    ownerId: 'hum_0190a0b0c0d0e0f00000000000000001',
    description: `System ${n}`,
    createdAt: T0,
    updatedAt: T0,
    version: 1,
    ...over,
  };
}

export function aResource(over: Partial<Resource> = {}): Resource {
  const n = next();
  return {
    id: newId('resource'),
    name: `db-${n}`,
    kind: 'database',
    systemId: 'sys_0190a0b0c0d0e0f00000000000000001',
    environment: 'prod',
    sensitivity: 'critical',
    labels: { region: 'eu-west-1' },
    createdAt: T0,
    updatedAt: T0,
    version: 1,
    ...over,
  };
}

export function anEdge(over: Partial<Edge> = {}): Edge {
  return {
    id: newId('edge'),
    kind: 'has_permission',
    fromId: newId('identity'),
    toId: newId('resource'),
    actions: ['read', 'write'],
    createdAt: T0,
    ...over,
  };
}

export function aToken(over: Partial<ApiToken> = {}): ApiToken {
  const n = next();
  return {
    id: newId('apiToken'),
    name: `token-${n}`,
    role: 'operator',
    prefix: `kw_${n}`,
    createdAt: T0,
    expiresAt: '2026-01-01T00:00:00.000Z',
    lastUsedAt: null,
    revokedAt: null,
    ...over,
  };
}

export function anEvent(over: Partial<AuditEventInput> = {}): AuditEventInput {
  return {
    id: newId('auditEvent'),
    time: T0,
    actor: 'system',
    type: 'identity.created',
    targetId: newId('identity'),
    outcome: 'success',
    details: { nested: { a: [1, 'two', null] }, ok: true },
    ...over,
  };
}

/** Asserts that `promise` rejects with StorageError `code` and returns the error. */
export async function rejectsWith(promise: Promise<unknown>, code: StorageErrorCode): Promise<Error> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, `expected StorageError('${code}')`).toBeDefined();
  if (!isStorageError(err, code)) {
    throw new Error(`expected StorageError('${code}'), got ${String(err)}`, { cause: err });
  }
  return err;
}

/** Every item of every page of a list, following nextCursor to the end. */
export async function allPages<T extends { id: string }>(
  list: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>,
): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 10_000; guard++) {
    const page = await list(cursor);
    out.push(...page.items);
    if (page.nextCursor === null) return out;
    cursor = page.nextCursor;
  }
  throw new Error('pagination did not end');
}

export const byId = <T extends { id: string }>(items: readonly T[]): T[] =>
  [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

export type StoreRef = () => Store;
