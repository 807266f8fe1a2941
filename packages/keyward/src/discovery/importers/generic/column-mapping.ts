/**
 * Which input column (CSV header, JSON key) feeds which Keyward field. Each field has a snake_case
 * name and aliases, matched ignoring case, spaces, `_` and `-` (`Owner Email`, `owner-email` and
 * `OWNER_EMAIL` are one); `label.<key>` columns become labels; `--map "Column=field"` overrides.
 * docs/import-generic.md lists the same table: keep the two in step.
 */
import type { ImportProblem } from '../../import-batch.js';

export const KEYWARD_FIELDS = {
  name: ['identity', 'identity name', 'service name', 'service', 'display name', 'account name'],
  kind: ['type', 'identity kind', 'identity type'],
  external_id: ['id', 'uid', 'identifier', 'source id'],
  environment: ['env', 'stage', 'tier'],
  owner_email: ['owner', 'owner mail', 'email', 'contact', 'contact email'],
  purpose: ['description', 'desc', 'used for'],
  business_system: ['system', 'application', 'business service'],
  review_date: ['review', 'review by', 'next review'],
  created_at: ['created', 'creation date', 'created date', 'date created'],
  last_used_at: ['last used', 'last used date', 'last activity', 'last seen'],
  expires_at: ['expires', 'expiry', 'expiration', 'expiration date', 'expiry date', 'valid until'],
  last_rotated_at: ['last rotated', 'rotated at', 'last rotation'],
  credential_id: ['key id', 'access key id', 'token id', 'secret id'],
  credential_kind: ['credential type', 'key type', 'secret type'],
  credential_last_eight: ['last eight', 'last 8', 'token last eight', 'key last eight'],
  credential_status: ['status', 'key status', 'state'],
  permissions: ['permission', 'access', 'grants'],
  assumes: ['can assume', 'assumable'],
  agent: ['is agent', 'ai agent', 'ai'],
  labels: ['tags'],
} as const;

export type KeywardField = keyof typeof KEYWARD_FIELDS;
/** A column's target: a field, or one label (`label.<key>`). */
export type ColumnTarget = { field: KeywardField } | { label: string };

/** `Service Name`, `service_name`, `service-name` → `servicename`. */
export const normalizeKey = (s: string): string => s.toLowerCase().replace(/[\s_-]+/g, '');

const BY_KEY = new Map<string, KeywardField>();
for (const [field, aliases] of Object.entries(KEYWARD_FIELDS) as Array<[KeywardField, readonly string[]]>) {
  BY_KEY.set(normalizeKey(field), field);
  for (const a of aliases) BY_KEY.set(normalizeKey(a), field);
}

/** The field a column name (or a `--map` target) names, by its name, an alias or `label.<key>`. */
export function targetOf(name: string): ColumnTarget | undefined {
  const label = /^\s*labels?[.:](.+)$/i.exec(name);
  if (label?.[1]?.trim()) return { label: label[1].trim() };
  const field = BY_KEY.get(normalizeKey(name));
  return field ? { field } : undefined;
}

export const VALID_FIELDS_TEXT = `${Object.keys(KEYWARD_FIELDS).join(', ')}, label.<key>`;

export interface ResolvedMapping {
  /** Override: input column (normalized) → target; `null` drops the column. */
  overrides: Map<string, ColumnTarget | null>;
  /** Normalized column → the column as `--map` spelled it. */
  names: Map<string, string>;
  problems: ImportProblem[];
}

/** Checks `--map` once per import: a target that is no Keyward field is one error naming the valid ones. */
export function resolveMapping(mapping: Record<string, string> | undefined): ResolvedMapping {
  const overrides = new Map<string, ColumnTarget | null>();
  const problems: ImportProblem[] = [];
  const names = new Map<string, string>();
  for (const [column, target] of Object.entries(mapping ?? {})) {
    names.set(normalizeKey(column), column);
    if (/^(ignore|skip|-)$/i.test(target.trim())) {
      overrides.set(normalizeKey(column), null);
      continue;
    }
    const t = targetOf(target);
    if (!t) {
      problems.push({
        file: '--map',
        severity: 'error',
        reason: `--map "${column}=${target}": ${target} is not a Keyward field; valid fields: ${VALID_FIELDS_TEXT} (or "ignore")`,
      });
      continue;
    }
    overrides.set(normalizeKey(column), t);
  }
  return { overrides, names, problems };
}

export interface ColumnPlan {
  /** Input column → its target, for the columns that feed Keyward, in column order. */
  targets: Array<[string, ColumnTarget]>;
  /** Columns no field takes (reported once per file). */
  unknown: string[];
  /** Columns feeding a field an earlier column feeds too: a row takes the first non-empty one. */
  clashes: string[];
}

/** Decides the target of each column of one file. */
export function planColumns(columns: readonly string[], mapping: ResolvedMapping): ColumnPlan {
  const plan: ColumnPlan = { targets: [], unknown: [], clashes: [] };
  const taken = new Map<string, string>();
  for (const column of columns) {
    if (column.trim() === '') continue;
    const key = normalizeKey(column);
    const t = mapping.overrides.has(key) ? mapping.overrides.get(key) : targetOf(column);
    if (t === null) continue;
    if (!t) {
      plan.unknown.push(column);
      continue;
    }
    const id = 'field' in t ? t.field : `label.${t.label}`;
    const first = taken.get(id);
    if (first !== undefined) plan.clashes.push(`${column} and ${first} (both ${id})`);
    else taken.set(id, column);
    plan.targets.push([column, t]);
  }
  return plan;
}

/** `--map` columns that are in none of the file's columns: most likely a typo. */
export function unusedOverrides(columns: readonly string[], mapping: ResolvedMapping): string[] {
  const present = new Set(columns.map(normalizeKey));
  return [...mapping.overrides.keys()].filter((k) => !present.has(k)).map((k) => mapping.names.get(k) ?? k);
}
