/**
 * The node table: string id ↔ dense integer, and per-node columns (type, sensitivity rank, blocked
 * flag, adjacency hints) in typed arrays indexed by that integer. Everything else in the index
 * speaks integers; strings are only touched at the query boundary.
 */

import type { NodeType, Sensitivity } from '@keyward/sdk';

export const NODE_TYPES: readonly NodeType[] = ['identity', 'human', 'resource', 'system'];
/** Least to most sensitive; rank = position + 1, so 0 means "none" (identities, humans). */
export const SENSITIVITY_ORDER: readonly Sensitivity[] = ['low', 'medium', 'high', 'critical'];

const TYPE_CODE = new Map<string, number>(NODE_TYPES.map((t, i) => [t, i]));
const SENSITIVITY_RANK = new Map<string, number>(SENSITIVITY_ORDER.map((s, i) => [s, i + 1]));

export function typeCode(type: NodeType): number {
  const code = TYPE_CODE.get(type);
  if (code === undefined) throw new TypeError(`unknown node type ${JSON.stringify(type)}`);
  return code;
}

export function sensitivityRank(sensitivity: Sensitivity | null | undefined): number {
  if (sensitivity == null) return 0;
  const rank = SENSITIVITY_RANK.get(sensitivity);
  if (rank === undefined) throw new TypeError(`unknown sensitivity ${JSON.stringify(sensitivity)}`);
  return rank;
}

export const TYPE_IDENTITY = 0;
export const TYPE_RESOURCE = 2;
export const TYPE_SYSTEM = 3;

/** Adjacency hints, so the hot loops skip map look-ups and reverse rows that cannot matter. */
export const HINT_IN_REVERSE_KIND = 1; // may have incoming stored_in edges (a secret store)
export const HINT_OVERLAY_OUT = 2; // has outgoing edges in the overlay
export const HINT_OVERLAY_IN = 4; // has incoming edges in the overlay
export const HINT_OUT_REVERSE_KIND = 8; // may have outgoing stored_in edges (its secret is stored)

export class NodeTable {
  /** Dense int → id. Shares its strings with `index`, so each id is held once. */
  readonly ids: string[] = [];
  private readonly index = new Map<string, number>();
  type: Uint8Array;
  sensitivity: Uint8Array;
  /** 1 when traversal must not enter the node (disabled/revoked identity, inactive human). */
  blocked: Uint8Array;
  hints: Uint8Array;

  constructor(capacity = 1024) {
    this.type = new Uint8Array(capacity);
    this.sensitivity = new Uint8Array(capacity);
    this.blocked = new Uint8Array(capacity);
    this.hints = new Uint8Array(capacity);
  }

  get count(): number {
    return this.ids.length;
  }

  get capacity(): number {
    return this.type.length;
  }

  indexOf(id: string): number | undefined {
    return this.index.get(id);
  }

  idOf(node: number): string {
    return this.ids[node]!;
  }

  /** Adds a node (the caller checked it is new) and returns its integer. */
  add(id: string, type: number, sensitivity: number, blocked: boolean): number {
    const node = this.ids.length;
    if (node === this.capacity) this.grow(Math.max(1024, node * 2));
    this.ids.push(id);
    this.index.set(id, node);
    this.type[node] = type;
    this.sensitivity[node] = sensitivity;
    this.blocked[node] = blocked ? 1 : 0;
    return node;
  }

  /** Pre-sizes the columns for a bulk load, avoiding repeated doubling. */
  reserve(capacity: number): void {
    if (capacity > this.capacity) this.grow(capacity);
  }

  private grow(capacity: number): void {
    const widen = (a: Uint8Array): Uint8Array => {
      const b = new Uint8Array(capacity);
      b.set(a);
      return b;
    };
    this.type = widen(this.type);
    this.sensitivity = widen(this.sensitivity);
    this.blocked = widen(this.blocked);
    this.hints = widen(this.hints);
  }

  /** Frees spare capacity after a bulk load. */
  trim(): void {
    const n = this.count;
    if (n === this.capacity) return;
    this.type = this.type.slice(0, n);
    this.sensitivity = this.sensitivity.slice(0, n);
    this.blocked = this.blocked.slice(0, n);
    this.hints = this.hints.slice(0, n);
  }

  approxBytes(): number {
    // Typed columns, plus the id strings (header + one byte per char), the array slot and a Map
    // entry (key, value, chain and a bucket share) each: measured V8 layouts, rounded up.
    let idChars = 0;
    for (const id of this.ids) idChars += id.length;
    const n = this.count;
    return this.capacity * 4 + idChars + n * (16 + 8 + 32);
  }
}
