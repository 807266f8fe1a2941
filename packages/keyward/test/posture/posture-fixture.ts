/**
 * A real SQLite store, graph index and audit recorder for posture tests; estates are loaded through
 * the import service so discovery's refs (wildcard, broadSubject, passwordAuth …) are the real ones.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuditRecorder } from '../../src/audit/audit-recorder.js';
import type { Finding } from '../../src/discovery/discovery-types.js';
import { emptyBatch, type ImportBatch } from '../../src/discovery/import-batch.js';
import { createImportService } from '../../src/discovery/import-service.js';
import { createLeakFindings } from '../../src/discovery/leak-findings.js';
import type { GraphIndex } from '../../src/graph/graph-index.js';
import { loadGraphIndex } from '../../src/graph/graph-loader.js';
import { createPostureEngine } from '../../src/posture/posture-engine.js';
import { openStore } from '../../src/storage/open-store.js';
import type { Store } from '../../src/storage/storage-types.js';

export const F = { file: 'estate.json' };
export const ADA = 'hum_0190a0b0c0d0e0f00000000000000001';
export const BOB = 'hum_0190a0b0c0d0e0f00000000000000002';

export interface Fixture {
  store: Store;
  index: GraphIndex;
  clock: { ms: number };
  engine: ReturnType<typeof createPostureEngine>;
  load(fill: (b: ImportBatch) => void, feed?: string): Promise<void>;
  /** Identity id by its name. */
  id(name: string): Promise<string>;
  /** Names of identities with an unresolved finding of `rule`, sorted. */
  flagged(rule: string): Promise<string[]>;
  findings(rule?: string): Promise<Finding[]>;
  close(): Promise<void>;
}

export async function openFixture(): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'kw-posture-'));
  const store = await openStore({ backend: 'sqlite', file: join(dir, 'kw.db') });
  await store.migrate();
  const clock = { ms: Date.parse('2026-06-01T00:00:00Z') };
  const now = () => new Date(clock.ms);
  const at = now().toISOString();
  for (const [id, email, active] of [
    [ADA, 'ada@example.com', true],
    [BOB, 'bob@example.com', false],
  ] as const) {
    await store.humans.create({
      id,
      email,
      name: email,
      active,
      title: null,
      createdAt: at,
      updatedAt: at,
      version: 1,
    });
  }
  const index = await loadGraphIndex(store);
  const audit = createAuditRecorder(now);
  const imports = createImportService({
    store,
    graph: index,
    audit,
    now,
    leaks: createLeakFindings({ audit }),
    parsers: {} as never,
  });
  const engine = createPostureEngine({ store, index, audit, now });
  const findings = async (rule?: string) =>
    (await store.findings.list(rule ? { rule } : {}, { limit: 1000 })).items;
  return {
    store,
    index,
    clock,
    engine,
    async load(fill, feed = 'estate') {
      const b = emptyBatch('generic', 'test:estate', feed);
      fill(b);
      await imports.apply('tester', b);
    },
    async id(name) {
      const i = await store.identities.getByName(name);
      if (!i) throw new Error(`no identity ${name}`);
      return i.id;
    },
    async flagged(rule) {
      const names: string[] = [];
      for (const f of await findings(rule)) {
        if (f.status === 'resolved' || !f.identityId) continue;
        names.push((await store.identities.get(f.identityId))!.name);
      }
      return [...new Set(names)].sort();
    },
    findings,
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A discovered identity with sensible defaults. */
export function identity(
  name: string,
  over: Partial<ImportBatch['identities'][number]> = {},
): ImportBatch['identities'][number] {
  return { externalId: name, name, kind: 'service_account', environment: 'dev', foundIn: F, ...over };
}

export function resource(
  name: string,
  over: Partial<ImportBatch['resources'][number]> = {},
): ImportBatch['resources'][number] {
  return { externalId: name, name, kind: 'bucket', sensitivity: 'medium', foundIn: F, ...over };
}
