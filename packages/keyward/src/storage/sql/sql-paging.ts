/**
 * Keyset pagination and scanning by id, shared by every role store. Ids are UUIDv7 with a type
 * prefix, so `id > cursor order by id` is creation order and stays stable while rows are inserted.
 */
import type { Page, PageRequest } from '@keyward/sdk';
import { KeywardError } from '../../errors.js';
import { isWellFormedId } from '../../ids.js';

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;
export const DEFAULT_SCAN_BATCH = 1000;

export function clampLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_LIMIT;
  return Math.min(MAX_LIMIT, Math.max(1, Math.floor(limit)));
}

/**
 * The cursor of a page request, checked to be an id of the listed record type. The cursor comes
 * from the client, so a malformed one is the caller's input error, not a storage failure.
 */
export function readCursor(page: PageRequest, idPrefix: string): string | undefined {
  const { cursor } = page;
  if (cursor === undefined || cursor === '') return undefined;
  if (!isWellFormedId(cursor) || !cursor.startsWith(idPrefix)) {
    throw new KeywardError('validation_failed', 'invalid cursor', {
      errors: [{ path: '/cursor', message: `must be an id starting with ${idPrefix}` }],
    });
  }
  return cursor;
}

/**
 * Turns `limit + 1` fetched rows into a page: the extra row only tells that another page exists,
 * so the last page always ends with nextCursor null (never with an empty page after it).
 */
export function toPage<R extends { id: string }, T>(rows: R[], limit: number, map: (row: R) => T): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  return { items: kept.map(map), nextCursor: more ? kept[kept.length - 1]!.id : null };
}

/** Streams every row in id order, `batchSize` at a time, each batch one keyset query. */
export async function* keysetScan<R extends { id: string }, T>(
  fetch: (after: string | undefined, limit: number) => Promise<R[]>,
  map: (row: R) => T,
  batchSize = DEFAULT_SCAN_BATCH,
): AsyncIterable<T[]> {
  const size = Math.max(1, Math.floor(batchSize));
  let after: string | undefined;
  for (;;) {
    const rows = await fetch(after, size);
    if (rows.length === 0) return;
    yield rows.map(map);
    if (rows.length < size) return;
    after = rows[rows.length - 1]!.id;
  }
}

/** Splits `items` into chunks of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** `rows` (fetched for `ids`) in the order of `ids`, skipping ids without a row. */
export function inIdOrder<R extends { id: string }>(ids: readonly string[], rows: readonly R[]): R[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const out: R[] = [];
  for (const id of ids) {
    const row = byId.get(id);
    if (row) out.push(row);
  }
  return out;
}
