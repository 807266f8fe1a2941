/** DiscoveryRefStore over Kysely: what each import made of each source record (discovery_refs). */
import type { Kysely } from 'kysely';
import type { DiscoveryRef, RefNodeType } from '../../../discovery/discovery-types.js';
import type { DiscoveryRefStore } from '../../discovery-stores.js';
import type { DiscoveryRefRow } from '../discovery-rows.js';
import type { Database } from '../sql-database.js';
import type { SqlDialect } from '../sql-dialect.js';
import { chunks } from '../sql-paging.js';
import { fromJson, toJson, upsertRows } from '../sql-writes.js';

const COLUMNS = [
  'scope',
  'feed',
  'external_id',
  'node_type',
  'node_id',
  'content_hash',
  'details',
  'first_imported_at',
  'last_imported_at',
  'last_run_id',
  'missing_since',
] as const satisfies ReadonlyArray<keyof DiscoveryRefRow>;
const KEY = ['scope', 'feed', 'external_id'] as const;

const fromRow = (r: DiscoveryRefRow): DiscoveryRef => ({
  scope: r.scope,
  feed: r.feed,
  externalId: r.external_id,
  nodeType: r.node_type as RefNodeType,
  nodeId: r.node_id,
  contentHash: r.content_hash,
  details: fromJson(r.details),
  firstImportedAt: r.first_imported_at,
  lastImportedAt: r.last_imported_at,
  lastRunId: r.last_run_id,
  missingSince: r.missing_since,
});

const asValues = (r: DiscoveryRef): unknown[] => [
  r.scope,
  r.feed,
  r.externalId,
  r.nodeType,
  r.nodeId,
  r.contentHash,
  toJson(r.details),
  r.firstImportedAt,
  r.lastImportedAt,
  r.lastRunId,
  r.missingSince,
];

export class DiscoveryRefSqlStore implements DiscoveryRefStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: SqlDialect,
  ) {}

  async listScope(scope: string): Promise<DiscoveryRef[]> {
    const rows = await this.db
      .selectFrom('discovery_refs')
      .selectAll()
      .where('scope', '=', scope)
      .orderBy('feed')
      .orderBy('external_id')
      .execute();
    return rows.map(fromRow);
  }

  upsertMany(refs: DiscoveryRef[]): Promise<void> {
    return upsertRows(this.db, this.dialect, 'discovery_refs', COLUMNS, KEY, refs.map(asValues));
  }

  async deleteMany(keys: ReadonlyArray<Pick<DiscoveryRef, 'scope' | 'feed' | 'externalId'>>): Promise<void> {
    for (const chunk of chunks(keys, 500)) {
      await this.db
        .deleteFrom('discovery_refs')
        .where((eb) =>
          eb.or(
            chunk.map((k) =>
              eb.and([
                eb('scope', '=', k.scope),
                eb('feed', '=', k.feed),
                eb('external_id', '=', k.externalId),
              ]),
            ),
          ),
        )
        .execute();
    }
  }

  async findByExternalIds(scope: string, externalIds: readonly string[]): Promise<DiscoveryRef[]> {
    const out: DiscoveryRef[] = [];
    for (const chunk of chunks(externalIds, 500)) {
      const rows = await this.db
        .selectFrom('discovery_refs')
        .selectAll()
        .where('scope', '=', scope)
        .where('external_id', 'in', chunk)
        .orderBy('feed')
        .orderBy('external_id')
        .execute();
      for (const r of rows) out.push(fromRow(r));
    }
    return out;
  }

  async listPendingEdges(limit: number): Promise<DiscoveryRef[]> {
    const rows = await this.db
      .selectFrom('discovery_refs')
      .selectAll()
      .where('node_type', '=', 'edge')
      .where('node_id', 'is', null)
      .where('missing_since', 'is', null)
      .orderBy('first_imported_at')
      .orderBy('scope')
      .orderBy('external_id')
      .limit(limit)
      .execute();
    return rows.map(fromRow);
  }

  async listForNode(nodeId: string): Promise<DiscoveryRef[]> {
    const rows = await this.db
      .selectFrom('discovery_refs')
      .selectAll()
      .where('node_id', '=', nodeId)
      .orderBy('scope')
      .orderBy('feed')
      .execute();
    return rows.map(fromRow);
  }

  async scopes(): Promise<Array<{ scope: string; refs: number; lastImportedAt: string }>> {
    const rows = await this.db
      .selectFrom('discovery_refs')
      .select((eb) => [
        'scope',
        eb.fn.countAll<number>().as('refs'),
        eb.fn.max('last_imported_at').as('last'),
      ])
      .groupBy('scope')
      .orderBy('scope')
      .execute();
    return rows.map((r) => ({ scope: r.scope, refs: Number(r.refs), lastImportedAt: String(r.last) }));
  }
}
