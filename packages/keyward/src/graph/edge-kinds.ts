/**
 * How each lineage edge kind behaves in graph queries: the direction blast radius and path follow
 * it in, and whether it forms lineage (ancestors / descendants). The index stores kinds as small
 * integer codes, so the rules are also exported as bit masks over those codes for the hot loops.
 */

import type { EdgeKind } from '@keyward/sdk';

/**
 * - forward: an attacker holding the source moves to the target (a permission, an assumable role, a
 *   group membership, a delegation).
 * - reverse: followed against the edge. `stored_in` points from an identity to the store holding its
 *   secret; whoever holds the store reads the secret, so reach flows store → identity.
 * - none: informational (who created, owns or sponsors what); it grants nothing to an attacker.
 */
export type Traversal = 'forward' | 'reverse' | 'none';

export const EDGE_TRAVERSAL: Readonly<Record<EdgeKind, Traversal>> = {
  created: 'none',
  owns: 'none',
  sponsors: 'none',
  delegates_to: 'forward',
  can_assume: 'forward',
  has_permission: 'forward',
  stored_in: 'reverse',
  member_of: 'forward',
};

/** Ancestors follow these kinds into a node (who created, sponsors, owns or delegated to it). */
export const ANCESTOR_KINDS: readonly EdgeKind[] = ['created', 'sponsors', 'owns', 'delegates_to'];
/** Descendants follow these kinds out of a node (what it created or delegated to). */
export const DESCENDANT_KINDS: readonly EdgeKind[] = ['created', 'delegates_to'];

/**
 * Code order. It is the wire order of EDGE_KINDS in the SDK, re-declared here because the SDK is
 * imported for types only; the Record above makes a missing kind a compile error.
 */
const KINDS: readonly EdgeKind[] = [
  'created',
  'owns',
  'sponsors',
  'delegates_to',
  'can_assume',
  'has_permission',
  'stored_in',
  'member_of',
];

/** Marks a removed edge's CSR slot; never a valid kind code. */
export const TOMBSTONE = 255;

const CODES = new Map<string, number>(KINDS.map((kind, code) => [kind, code]));

export function kindCode(kind: EdgeKind): number {
  const code = CODES.get(kind);
  if (code === undefined) throw new TypeError(`unknown edge kind ${JSON.stringify(kind)}`);
  return code;
}

export function kindOf(code: number): EdgeKind {
  const kind = KINDS[code];
  if (kind === undefined) throw new TypeError(`invalid edge kind code ${code}`);
  return kind;
}

export function isEdgeKind(value: string): value is EdgeKind {
  return CODES.has(value);
}

const maskOf = (kinds: readonly EdgeKind[]): number => kinds.reduce((m, k) => m | (1 << kindCode(k)), 0);

/** Bit masks over kind codes: `(MASK >> code) & 1` tells whether a kind takes part. */
export const FORWARD_MASK = maskOf(KINDS.filter((k) => EDGE_TRAVERSAL[k] === 'forward'));
export const REVERSE_MASK = maskOf(KINDS.filter((k) => EDGE_TRAVERSAL[k] === 'reverse'));
export const ANCESTOR_MASK = maskOf(ANCESTOR_KINDS);
export const DESCENDANT_MASK = maskOf(DESCENDANT_KINDS);
export const HAS_PERMISSION = kindCode('has_permission');
