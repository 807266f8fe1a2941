/**
 * The de-duplicated table of has_permission action lists. Millions of edges carry a handful of
 * distinct lists (read; read,write; admin …), so an edge stores a small index into this table
 * instead of its own array. Index 0 is always the empty list (every non-permission edge).
 */

const KEY_SEPARATOR = '\u0000';

export class ActionSets {
  private readonly lists: string[][] = [[]];
  private readonly byKey = new Map<string, number>([['', 0]]);

  /** Index of the normalised (sorted, de-duplicated) list, adding it when new. */
  intern(actions: readonly string[]): number {
    if (actions.length === 0) return 0;
    // Fast path for the usual case (already sorted and unique): no Set, no sort, no copy.
    let normalised = true;
    for (let i = 1; i < actions.length && normalised; i++) normalised = actions[i - 1]! < actions[i]!;
    const key =
      actions.length === 1
        ? actions[0]!
        : (normalised ? actions : [...new Set(actions)].sort()).join(KEY_SEPARATOR);
    let index = this.byKey.get(key);
    if (index === undefined) {
      index = this.lists.length;
      this.lists.push(normalised ? [...actions] : [...new Set(actions)].sort());
      this.byKey.set(key, index);
    }
    return index;
  }

  /** The list at `index`; shared, so callers copy before handing it out. */
  get(index: number): readonly string[] {
    return this.lists[index] ?? [];
  }

  get size(): number {
    return this.lists.length;
  }

  approxBytes(): number {
    let chars = 0;
    for (const list of this.lists) for (const a of list) chars += a.length + 32;
    return chars * 2 + this.lists.length * 64;
  }
}
