/**
 * How a discovered record becomes, or updates, a Keyward record. The source owns what it observes
 * (kind, environment, credential dates, first/last seen, its own labels); Keyward owns what people
 * decide (owner, purpose, review date, status): an import fills those only while they are empty,
 * so a re-import never undoes an owner someone assigned.
 */
import { createHash } from 'node:crypto';
import type { Identity, Resource } from '@keyward/sdk';
import { canonicalJson } from '../audit/audit-hash.js';
import { newId } from '../ids.js';
import type { CredentialRecord } from './discovery-types.js';
import type {
  DiscoveredCredential,
  DiscoveredIdentity,
  DiscoveredResource,
  FoundIn,
} from './import-batch.js';
import { KW_LABELS, withManagedLabels } from './managed-status.js';

/** The HTTP schema's limits on labels (http/schemas.ts), so an imported record stays editable. */
const MAX_SOURCE_LABELS = 40;
const MAX_LABEL_VALUE = 500;
const MAX_LABEL_KEY = 100;

export const contentHash = (value: unknown): string =>
  createHash('sha256').update(canonicalJson(value)).digest('hex');

export const foundInText = (f: FoundIn): string =>
  `${f.file}${f.path ? `#${f.path}` : ''}${f.line ? `:${f.line}` : ''}`.slice(0, MAX_LABEL_VALUE);

/** The source's labels, capped to what the API accepts, sorted by key. */
export function sourceLabels(labels: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const keys = Object.keys(labels ?? {})
    .filter((k) => k.length > 0 && k.length <= MAX_LABEL_KEY && !k.startsWith('kw.'))
    .sort()
    .slice(0, MAX_SOURCE_LABELS);
  for (const k of keys) out[k] = String(labels?.[k] ?? '').slice(0, MAX_LABEL_VALUE);
  return out;
}

function discoveryLabels(scope: string, d: DiscoveredIdentity | DiscoveredResource): Record<string, string> {
  const labels: Record<string, string> = {
    [KW_LABELS.source]: scope,
    [KW_LABELS.foundIn]: foundInText(d.foundIn),
  };
  const signals = 'agentSignals' in d ? d.agentSignals : undefined;
  if (signals && signals.length > 0)
    labels[KW_LABELS.agentSignals] = signals.join('; ').slice(0, MAX_LABEL_VALUE);
  return labels;
}

/** Labels without those the previous import of this record set (so a tag removed at the source goes). */
function withoutImported(
  labels: Record<string, string>,
  previousKeys: readonly string[],
): Record<string, string> {
  const out = { ...labels };
  for (const k of previousKeys) delete out[k];
  for (const k of [KW_LABELS.source, KW_LABELS.foundIn, KW_LABELS.agentSignals, KW_LABELS.missingSince])
    delete out[k];
  return out;
}

export function originOf(scope: string, source: string): string {
  if (source === 'aws-iam') return 'aws';
  if (source === 'kubernetes') return 'kubernetes';
  if (source === 'github') return 'github';
  return (scope.split(':')[0] ?? 'import').slice(0, 40) || 'import';
}

/** An environment as the inventory spells them (lowercase, `[a-z0-9_-]`, at most 40), `unknown` when empty. */
export function normalizeEnvironment(value: string | undefined): string {
  const env = (value ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[-_]+|-+$/g, '')
    .slice(0, 40);
  return env === '' ? 'unknown' : env;
}

export interface IdentityContext {
  scope: string;
  origin: string;
  ownerId: string | null;
  at: string;
}

export function newIdentity(d: DiscoveredIdentity, name: string, ctx: IdentityContext): Identity {
  const identity: Identity = {
    id: newId('identity'),
    name,
    kind: d.kind,
    ownerId: ctx.ownerId,
    purpose: d.purpose ?? null,
    environment: normalizeEnvironment(d.environment),
    businessSystem: d.businessSystem ?? null,
    origin: ctx.origin,
    originExternalId: d.externalId,
    secretLocations: [],
    credential: d.credential ?? {},
    reviewDate: d.reviewDate ?? null,
    status: 'active',
    labels: { ...sourceLabels(d.labels), ...discoveryLabels(ctx.scope, d) },
    firstSeen: d.firstSeen ?? ctx.at,
    lastSeen: d.lastSeen ?? null,
    createdAt: ctx.at,
    updatedAt: ctx.at,
    version: 1,
  };
  return { ...identity, labels: withManagedLabels(identity) };
}

/** `current` updated from `d`; `previousLabelKeys` are the source label keys the last import set. */
export function mergeIdentity(
  current: Identity,
  d: DiscoveredIdentity,
  ctx: IdentityContext,
  previousLabelKeys: readonly string[],
): Identity {
  const merged: Identity = {
    ...current,
    kind: d.kind,
    ownerId: current.ownerId ?? ctx.ownerId,
    purpose: current.purpose ?? d.purpose ?? null,
    environment: d.environment ? normalizeEnvironment(d.environment) : current.environment,
    businessSystem: current.businessSystem ?? d.businessSystem ?? null,
    credential: { ...current.credential, ...(d.credential ?? {}) },
    reviewDate: current.reviewDate ?? d.reviewDate ?? null,
    labels: {
      ...withoutImported(current.labels, previousLabelKeys),
      ...sourceLabels(d.labels),
      ...discoveryLabels(ctx.scope, d),
    },
    firstSeen: d.firstSeen && d.firstSeen < current.firstSeen ? d.firstSeen : current.firstSeen,
    lastSeen: latest(current.lastSeen, d.lastSeen ?? null),
    updatedAt: ctx.at,
    version: current.version + 1,
  };
  return { ...merged, labels: withManagedLabels(merged) };
}

/** `current` marked (or unmarked) as gone from its source. */
export function withMissing(identity: Identity, since: string | null, at: string): Identity {
  const labels = { ...identity.labels };
  if (since) labels[KW_LABELS.missingSince] = since;
  else delete labels[KW_LABELS.missingSince];
  return { ...identity, labels, updatedAt: at, version: identity.version + 1 };
}

const latest = (a: string | null, b: string | null): string | null => (a && b ? (a > b ? a : b) : (a ?? b));

export function newResource(d: DiscoveredResource, name: string, scope: string, at: string): Resource {
  return {
    id: newId('resource'),
    name,
    kind: d.kind,
    systemId: null,
    environment: d.environment ? normalizeEnvironment(d.environment) : null,
    sensitivity: d.sensitivity,
    labels: { ...sourceLabels(d.labels), ...discoveryLabels(scope, d) },
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
}

export function mergeResource(
  current: Resource,
  d: DiscoveredResource,
  scope: string,
  previousLabelKeys: readonly string[],
  at: string,
): Resource {
  return {
    ...current,
    kind: d.kind,
    environment: d.environment ? normalizeEnvironment(d.environment) : current.environment,
    sensitivity: d.sensitivity,
    labels: {
      ...withoutImported(current.labels, previousLabelKeys),
      ...sourceLabels(d.labels),
      ...discoveryLabels(scope, d),
    },
    updatedAt: at,
    version: current.version + 1,
  };
}

export function credentialRecord(
  d: DiscoveredCredential,
  identityId: string,
  scope: string,
  at: string,
  current?: CredentialRecord,
): CredentialRecord {
  const revoked = d.status === 'revoked';
  return {
    id: current?.id ?? newId('credential'),
    identityId,
    scope,
    externalId: d.externalId,
    kind: d.kind,
    status: d.status,
    hint: d.hint ?? null,
    secretSha256: d.secretSha256 ?? null,
    createdAt: d.createdAt ?? null,
    lastRotatedAt: d.lastRotatedAt ?? null,
    lastUsedAt: d.lastUsedAt ?? null,
    expiresAt: d.expiresAt ?? null,
    revokedAt: revoked ? (current?.revokedAt ?? at) : null,
    details: { ...(d.details ?? {}), foundIn: foundInText(d.foundIn) },
    firstSeen: current?.firstSeen ?? at,
    updatedAt: at,
    version: current?.version ?? 1,
  };
}
