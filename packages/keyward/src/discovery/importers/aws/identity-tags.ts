/**
 * IAM tags as Keyward fields: the owner, environment, purpose and business system a team wrote on a
 * user or role, and every tag kept as a label `aws.tag.<key>` (keys made label-safe) so filters and
 * provenance still see them. A tag can also declare the principal an AI agent.
 */
import { isRecord, stringField } from '../json-document.js';

export interface TagFields {
  ownerEmail?: string | undefined;
  environment?: string | undefined;
  purpose?: string | undefined;
  businessSystem?: string | undefined;
  /** A tag says this principal is an AI agent (`kind=agent`, `type=ai-agent`, `agent=true`). */
  declaredAgent: boolean;
  labels: Record<string, string>;
  tags: Record<string, string>;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const OWNER_KEYS = ['owner', 'owner-email', 'owneremail', 'owner_email'];
const ENV_KEYS = ['environment', 'env'];
const PURPOSE_KEYS = ['purpose', 'description'];
const SYSTEM_KEYS = ['business-system', 'businesssystem', 'business_system', 'system'];
const KIND_KEYS = ['kind', 'type', 'workload', 'identity-type', 'nhi-kind', 'keyward-kind'];
const AGENT_VALUE = /^(ai[-_ ]?)?agent$/i;
const TRUE_VALUE = /^(true|yes|1)$/i;
const MAX_LABEL_KEY = 100;
const MAX_LABEL_VALUE = 500;

/** Label keys in `[A-Za-z0-9._:/-]`, at most 100 characters (the inventory's limit). */
export function labelKey(prefix: string, key: string): string {
  return `${prefix}${key.replace(/[^A-Za-z0-9._:/-]+/g, '_')}`.slice(0, MAX_LABEL_KEY);
}

/** IAM `Tags: [{Key, Value}]` (or a `{key: value}` map, as some tools write them) as a plain map. */
export function tagMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(value)) {
    for (const t of value) {
      if (!isRecord(t)) continue;
      const key = stringField(t, 'Key');
      if (key) out[key] = typeof t['Value'] === 'string' ? t['Value'] : '';
    }
  } else if (isRecord(value)) {
    for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  }
  return out;
}

function pick(tags: Record<string, string>, keys: readonly string[]): string | undefined {
  for (const [k, v] of Object.entries(tags)) if (keys.includes(k.toLowerCase()) && v.trim()) return v.trim();
  return undefined;
}

export function tagFields(value: unknown): TagFields {
  const tags = tagMap(value);
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(tags)) labels[labelKey('aws.tag.', k)] = v.slice(0, MAX_LABEL_VALUE);
  const owner = pick(tags, OWNER_KEYS);
  const declaredAgent = Object.entries(tags).some(
    ([k, v]) =>
      (KIND_KEYS.includes(k.toLowerCase()) && AGENT_VALUE.test(v.trim())) ||
      (AGENT_VALUE.test(k) && TRUE_VALUE.test(v.trim())),
  );
  return {
    ownerEmail: owner && EMAIL.test(owner) ? owner : undefined,
    environment: pick(tags, ENV_KEYS),
    purpose: pick(tags, PURPOSE_KEYS)?.slice(0, 2000),
    businessSystem: pick(tags, SYSTEM_KEYS)?.slice(0, 200),
    declaredAgent,
    labels,
    tags,
  };
}
