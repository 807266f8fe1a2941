/**
 * The node table: string id ↔ dense integer, and per-node columns (type, sensitivity rank, blocked
 * flag, adjacency hints) in typed arrays indexed by that integer. Everything else in the index
 * speaks integers; strings are only touched at the query boundary.
 *
 * id → integer is an open-addressing hash table of integers (Int32Array, linear probing) over the
 * `ids` array rather than a Map<string, number>: at 1M nodes a Map costs ~55 bytes per entry (its
 * capacity doubles past 2^20 entries), the table 8, which is what keeps the whole index under 40
 * bytes per edge. It is also faster for the 10M look-ups of a bulk load.
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
  /** Dense int → id; the hash slots refer into it, so each id string is held once. */
  ids: string[] = [];
  /** Hash slots holding node + 1 (0 = empty); the length is a power of two, load ≤ 3/4. */
  private slots = new Int32Array(2048);
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
    const mask = this.slots.length - 1;
    for (let i = hashOf(id) & mask; ; i = (i + 1) & mask) {
      const slot = this.slots[i]!;
      if (slot === 0) return undefined;
      if (this.ids[slot - 1] === id) return slot - 1;
    }
  }

  private place(id: string, node: number): void {
    const mask = this.slots.length - 1;
    let i = hashOf(id) & mask;
    while (this.slots[i] !== 0) i = (i + 1) & mask;
    this.slots[i] = node + 1;
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(size);
    for (let node = 0; node < this.ids.length; node++) this.place(this.ids[node]!, node);
  }

  idOf(node: number): string {
    return this.ids[node]!;
  }

  /** Adds a node (the caller checked it is new) and returns its integer. */
  add(id: string, type: number, sensitivity: number, blocked: boolean): number {
    const node = this.ids.length;
    if (node === this.capacity) this.grow(Math.max(1024, node * 2));
    this.ids.push(id);
    if ((node + 1) * 4 > this.slots.length * 3) this.rehash(this.slots.length * 2);
    else this.place(id, node);
    this.type[node] = type;
    this.sensitivity[node] = sensitivity;
    this.blocked[node] = blocked ? 1 : 0;
    return node;
  }

  /** Pre-sizes the columns for a bulk load, avoiding repeated doubling. */
  reserve(capacity: number): void {
    if (capacity > this.capacity) this.grow(capacity);
    let size = this.slots.length;
    while (capacity * 4 > size * 3) size *= 2;
    if (size > this.slots.length) this.rehash(size);
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
    this.ids = this.ids.slice(); // an exact-size copy: push() left up to 50% spare slots
    if (n === this.capacity) return;
    this.type = this.type.slice(0, n);
    this.sensitivity = this.sensitivity.slice(0, n);
    this.blocked = this.blocked.slice(0, n);
    this.hints = this.hints.slice(0, n);
  }

  approxBytes(): number {
    // Typed columns and hash slots, plus per id its string (16-byte header + one byte per char,
    // 8-aligned) and its array slot (8 bytes, plus growth slack).
    let idBytes = 0;
    for (const id of this.ids) idBytes += (16 + id.length + 7) & ~7;
    return this.capacity * 4 + this.slots.byteLength + idBytes + this.count * 10;
  }
}

/** FNV-1a over UTF-16 code units: ids are short ASCII, so this is a few dozen multiply-xors. */
function hashOf(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return (h ^ (h >>> 15)) >>> 0;
}
