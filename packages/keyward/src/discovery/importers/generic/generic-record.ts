/**
 * One input row as Keyward records: an identity (its externalId is the `external_id` column, else
 * its name), the credential the row describes (when it names one), has_permission edges from the
 * `permissions` cell (`action@resource; …`) and can_assume edges from `assumes`. A cell that cannot
 * be read is a warning and the field is left out; a row without a name or with an unknown kind is
 * an error and is skipped.
 */
import type {
  DiscoveredCredential,
  DiscoveredEdge,
  DiscoveredIdentity,
  FoundIn,
  ImportProblem,
} from '../../import-batch.js';
import { isRecord } from '../json-document.js';
import type { ColumnTarget, KeywardField } from './column-mapping.js';
import type { InputRow } from './generic-rows.js';
import {
  cellText,
  parseCredentialKind,
  parseDate,
  parseFlag,
  parseKind,
  parseList,
  parseStatus,
} from './generic-values.js';

export interface RowRecord {
  identity: DiscoveredIdentity;
  credential?: DiscoveredCredential | undefined;
  edges: DiscoveredEdge[];
  /** Resource names the permissions point at (made once per batch by the caller). */
  resources: string[];
}

/** A resource a permission names: `<scope>|<externalId>` points into another import as it is. */
export const resourceRef = (name: string): string => (name.includes('|') ? name : `resource:${name}`);

const DATE_FIELDS = ['review_date', 'created_at', 'last_used_at', 'expires_at', 'last_rotated_at'] as const;

export interface RowContext {
  scope: string;
  environment: string | undefined;
  targets: ReadonlyArray<[string, ColumnTarget]>;
}

export function rowToRecord(
  row: InputRow,
  ctx: RowContext,
  problems: ImportProblem[],
): RowRecord | undefined {
  const at: FoundIn = row.foundIn;
  const problem = (reason: string, severity: ImportProblem['severity'] = 'warning') =>
    problems.push({ file: at.file, line: at.line, path: at.path, reason, severity });
  const fields = new Map<KeywardField, unknown>();
  const labels: Record<string, string> = {};
  const blank = (v: unknown) => cellText(v) === undefined && !Array.isArray(v) && !isRecord(v);
  for (const [column, target] of ctx.targets) {
    const value = row.values[column];
    if ('label' in target) {
      const text = cellText(value);
      if (text !== undefined) labels[target.label] ??= text;
      // Two columns for one field (`owner` and `owner_email`): the first that holds a value.
    } else if (blank(fields.get(target.field))) fields.set(target.field, value);
  }
  const text = (f: KeywardField) => cellText(fields.get(f));

  const name = text('name') ?? text('external_id');
  if (!name) {
    problem('row has no name or external_id; skipped', 'error');
    return undefined;
  }
  const externalId = text('external_id') ?? name;
  const kindText = text('kind');
  const kind = kindText === undefined ? 'service_account' : parseKind(kindText);
  if (!kind) {
    problem(
      `unknown kind "${kindText}" for ${name}; skipped (one of service_account, api_key, oauth_app, agent, workload, bot, certificate, token)`,
      'error',
    );
    return undefined;
  }
  const dates: Partial<Record<(typeof DATE_FIELDS)[number], string>> = {};
  for (const f of DATE_FIELDS) {
    const t = text(f);
    if (t === undefined) continue;
    const iso = parseDate(t);
    if (iso) dates[f] = iso;
    else problem(`${f} "${t}" of ${name} is not a date (use 2024-01-31 or ISO-8601); left out`);
  }

  const tags = fields.get('labels');
  if (isRecord(tags))
    for (const [k, v] of Object.entries(tags)) {
      const t = cellText(v);
      if (t !== undefined) labels[k] = t;
    }
  else
    for (const pair of parseList(tags)) {
      const eq = pair.indexOf('=');
      if (eq > 0) labels[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
    }

  let ownerEmail = text('owner_email');
  if (ownerEmail && !/^[^@\s]+@[^@\s]+$/.test(ownerEmail)) {
    problem(`owner "${ownerEmail}" of ${name} is not an email; kept as the label owner`);
    labels['owner'] = ownerEmail;
    ownerEmail = undefined;
  }
  const agent = parseFlag(fields.get('agent'));
  if (agent === undefined) problem(`agent "${text('agent')}" of ${name} is not yes/no; read as no`);

  const environment = text('environment') ?? ctx.environment;
  const identity: DiscoveredIdentity = {
    externalId,
    name,
    kind,
    ...(environment ? { environment } : {}),
    ...(text('purpose') ? { purpose: text('purpose') } : {}),
    ...(ownerEmail ? { ownerEmail } : {}),
    ...(text('business_system') ? { businessSystem: text('business_system') } : {}),
    ...(dates.review_date ? { reviewDate: dates.review_date } : {}),
    credential: {
      ...(dates.created_at ? { createdAt: dates.created_at } : {}),
      ...(dates.last_rotated_at ? { lastRotatedAt: dates.last_rotated_at } : {}),
      ...(dates.expires_at ? { expiresAt: dates.expires_at } : {}),
      ...(dates.last_used_at ? { lastUsedAt: dates.last_used_at } : {}),
    },
    ...(Object.keys(labels).length > 0 ? { labels } : {}),
    ...(dates.created_at ? { firstSeen: dates.created_at } : {}),
    ...(dates.last_used_at ? { lastSeen: dates.last_used_at } : {}),
    ...(agent ? { agentSignals: [`marked as an AI agent in ${ctx.scope}`] } : {}),
    foundIn: at,
  };

  const out: RowRecord = { identity, edges: [], resources: [] };
  const credentialId = text('credential_id');
  const lastEight = text('credential_last_eight');
  const kindCell = text('credential_kind');
  const statusCell = text('credential_status');
  if (credentialId || lastEight || kindCell || statusCell) {
    const credKind = kindCell === undefined ? 'other' : parseCredentialKind(kindCell);
    if (!credKind) problem(`unknown credential_kind "${kindCell}" of ${name}; recorded as other`);
    const status = statusCell === undefined ? 'active' : parseStatus(statusCell);
    if (!status) problem(`unknown credential_status "${statusCell}" of ${name}; taken as active`);
    out.credential = {
      // Refs key every record of a feed by external id alone: a credential must not reuse its identity's.
      externalId: credentialId && credentialId !== externalId ? credentialId : `${externalId}#credential`,
      identity: externalId,
      kind: credKind ?? 'other',
      status: status ?? 'active',
      ...(dates.created_at ? { createdAt: dates.created_at } : {}),
      ...(dates.last_rotated_at ? { lastRotatedAt: dates.last_rotated_at } : {}),
      ...(dates.last_used_at ? { lastUsedAt: dates.last_used_at } : {}),
      ...(dates.expires_at ? { expiresAt: dates.expires_at } : {}),
      ...(lastEight || credentialId ? { hint: lastEight ?? credentialId } : {}),
      foundIn: at,
    };
  }

  const grants = new Map<string, Set<string>>();
  for (const p of parseList(fields.get('permissions'))) {
    const i = p.lastIndexOf('@');
    const actions =
      i > 0
        ? p
            .slice(0, i)
            .split(',')
            .map((a) => a.trim())
            .filter((a) => a !== '')
        : [];
    const resource = i > 0 ? p.slice(i + 1).trim() : '';
    if (actions.length === 0 || resource === '') {
      problem(`permission "${p}" of ${name} is not action@resource; skipped`);
      continue;
    }
    const set = grants.get(resource) ?? new Set<string>();
    for (const a of actions) set.add(a);
    grants.set(resource, set);
  }
  for (const [resource, actions] of grants) {
    if (!resource.includes('|')) out.resources.push(resource);
    out.edges.push({
      kind: 'has_permission',
      from: externalId,
      to: resourceRef(resource),
      actions: [...actions].sort(),
      foundIn: at,
    });
  }
  for (const target of new Set(parseList(fields.get('assumes'))))
    if (target !== externalId)
      out.edges.push({ kind: 'can_assume', from: externalId, to: target, foundIn: at });
  return out;
}
