/** Reading whole lists page by page, for the lifecycle jobs (which visit every match). */
import type { Identity, IdentityFilter, Page } from '@keyward/sdk';
import type { Store } from '../storage/storage-types.js';

export async function allPages<T>(
  list: (page: {
    cursor?: string;
    limit: number;
  }) => Promise<Page<T> | { items: T[]; nextCursor: string | null }>,
): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await list({ limit: 1000, ...(cursor ? { cursor } : {}) });
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

export const allIdentities = (store: Store, filter: IdentityFilter): Promise<Identity[]> =>
  allPages((page) => store.identities.list(filter, page));
