/**
 * Per-day counts for every role store (storage-types.ts, "Per-day counts"): one GROUP BY on the
 * first ten characters of an ISO-8601 UTC text timestamp, which is its UTC day. Both backends store
 * timestamps as TEXT, so `substr` and text comparison mean the same on SQLite and PostgreSQL, and no
 * time zone setting of the session can move a row to another day.
 */
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DayCount } from '../storage-types.js';
import type { Database } from './sql-database.js';

/** Rows of `table` with `column` >= since (and `where`, when given), counted per UTC day, oldest first. */
export async function countPerDay(
  db: Kysely<Database>,
  table: keyof Database,
  column: string,
  since: string,
  where?: RawBuilder<unknown>,
): Promise<DayCount[]> {
  const day = sql`substr(${sql.ref(column)}, 1, 10)`;
  const { rows } = await sql<{ day: string; n: number | string }>`
    select ${day} as day, count(*) as n from ${sql.table(table)}
    where ${sql.ref(column)} >= ${since}${where ? sql` and ${where}` : sql``}
    group by ${day} order by ${day}`.execute(db);
  return rows.map((r) => ({ day: r.day, count: Number(r.n) }));
}
