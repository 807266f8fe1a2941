/**
 * The hash chain's canonical serialization. An event's hash is
 *
 *   hash = hex(SHA-256(UTF-8(C)))   with
 *   C = '["kw-audit-v1",' id ',' time ',' actor ',' delegationChain ',' type ',' action ','
 *       targetId ',' taskId ',' outcome ',' policyIds ',' source ',' details ',' prevHash ']'
 *
 * i.e. one JSON array in that fixed order, with no whitespace. Strings and nulls are JSON.stringify'd;
 * the JSON-valued fields (delegationChain, policyIds, source, details) appear as their canonical JSON:
 * object keys sorted by UTF-16 code unit, recursively, undefined members dropped. That canonical text is
 * exactly what the store keeps in those columns, so a verifier hashes the stored bytes without parsing
 * them. `seq` is not hashed: order is carried by the prevHash links (a swap breaks them), and seq
 * positions by the gap-free numbering and the signed checkpoints. The first event's prevHash is
 * GENESIS_HASH (64 zeros); after a retention cut it is the hash pinned by the cut's checkpoint.
 */
import * as crypto from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);
const TAG = '["kw-audit-v1",';

type OneShotHash = (algorithm: string, data: string, encoding: 'hex') => string;
/** Node ≥ 20.12's one-shot crypto.hash (about twice as fast for short inputs), else createHash. */
const oneShot = (crypto as unknown as { hash?: OneShotHash }).hash;
export const sha256Hex: (text: string) => string = oneShot
  ? (text) => oneShot('sha256', text, 'hex')
  : (text) => crypto.createHash('sha256').update(text).digest('hex');

/** JSON with object keys sorted recursively; the text stored in the audit log's JSON columns. */
export function canonicalJson(value: unknown): string {
  if (value !== null && typeof value === 'object') {
    const canonical = canonicalForm(value, 0);
    if (canonical !== UNSORTABLE) return JSON.stringify(canonical);
  }
  return canonicalWalk(value);
}

const UNSORTABLE = Symbol('unsortable');
/** Integer-like keys, which every object enumerates first in numeric order whatever the insertion order. */
const INDEX_KEY = /^(?:0|[1-9]\d{0,9})$/;
const droppedByStringify = (v: unknown): boolean => v === undefined || typeof v === 'function';

/**
 * A value whose V8 JSON.stringify is `value`'s canonical text: `value` itself where it already is
 * (plain data whose objects have their keys in sorted order and no function members; JSON.stringify
 * already drops undefined members and writes undefined and function items of arrays as null), else
 * a copy in which only the parts that were not are rebuilt with sorted keys. V8's JSON.stringify is
 * far faster than canonicalWalk, and
 * sharing the canonical subtrees (most of a decision's details are built in key order; request
 * arguments usually are not) saves copying them. UNSORTABLE when an object that needs sorting has an
 * integer-like key (the walk handles those) or nesting is absurdly deep.
 */
function canonicalForm(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth > 64) return UNSORTABLE;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      const c = droppedByStringify(v) ? v : canonicalForm(v, depth + 1);
      if (c === UNSORTABLE) return UNSORTABLE;
      if (c !== v && out === undefined) out = value.slice(0, i);
      if (out !== undefined) out.push(droppedByStringify(c) ? null : c);
    }
    return out ?? value;
  }
  const obj = value as Record<string, unknown>;
  const proto = Object.getPrototypeOf(obj);
  // Anything but a plain object (a Date, a class with toJSON …) is canonically its own enumerable keys.
  let reuse = proto === Object.prototype || proto === null;
  if (reuse) {
    let previous: string | undefined;
    for (const key in obj) {
      // Integer-like keys enumerate numerically, not in string order: such objects fail here.
      if (previous !== undefined && !(previous < key)) {
        reuse = false;
        break;
      }
      const v = obj[key];
      // A function member is dropped by the copy; JSON.stringify would call it if it were toJSON.
      if (typeof v === 'function') {
        reuse = false;
        break;
      }
      if (v !== undefined) {
        const c = canonicalForm(v, depth + 1);
        if (c === UNSORTABLE) return UNSORTABLE;
        if (c !== v) {
          reuse = false;
          break;
        }
      }
      previous = key;
    }
  }
  if (reuse) return obj;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(obj).sort()) {
    // '__proto__' would set the copy's prototype instead of making a member.
    if (INDEX_KEY.test(key) || key === '__proto__') return UNSORTABLE;
    const v = obj[key];
    if (droppedByStringify(v)) continue;
    const c = canonicalForm(v, depth + 1);
    if (c === UNSORTABLE) return UNSORTABLE;
    out[key] = c;
  }
  return out;
}

function canonicalWalk(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value))
    return `[${value.map((v) => (v === undefined || typeof v === 'function' ? 'null' : canonicalWalk(v))).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(obj).sort()) {
    const v = obj[key];
    if (v === undefined || typeof v === 'function') continue;
    parts.push(`${JSON.stringify(key)}:${canonicalWalk(v)}`);
  }
  return `{${parts.join(',')}}`;
}

/** The hashed fields as stored: scalars as values, JSON fields as their canonical text. */
export interface ChainFields {
  id: string;
  time: string;
  actor: string;
  delegationChain: string;
  type: string;
  action: string | null;
  targetId: string | null;
  taskId: string | null;
  outcome: string;
  policyIds: string;
  source: string | null;
  details: string;
}

const str = (s: string | null): string => (s === null ? 'null' : JSON.stringify(s));

/** Everything the hash covers except the predecessor's hash: computable before the chain position is known. */
export function chainPrefix(f: ChainFields): string {
  return (
    TAG +
    str(f.id) +
    ',' +
    str(f.time) +
    ',' +
    str(f.actor) +
    ',' +
    f.delegationChain +
    ',' +
    str(f.type) +
    ',' +
    str(f.action) +
    ',' +
    str(f.targetId) +
    ',' +
    str(f.taskId) +
    ',' +
    str(f.outcome) +
    ',' +
    f.policyIds +
    ',' +
    (f.source ?? 'null') +
    ',' +
    f.details +
    ','
  );
}

/** The hash of an event whose prefix (chainPrefix) is `prefix`, after `prevHash`. */
export function chainHashOfPrefix(prefix: string, prevHash: string): string {
  return sha256Hex(`${prefix}${str(prevHash)}]`);
}

export function chainHash(f: ChainFields, prevHash: string): string {
  return chainHashOfPrefix(chainPrefix(f), prevHash);
}
