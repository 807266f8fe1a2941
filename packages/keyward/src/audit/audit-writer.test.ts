/**
 * The AuditWriter on SQLite overlaps groups with the disk: while one group's sync runs, the next
 * group is written and committed (its own sync follows). The sync primitive is held by the test,
 * so it can see what was written while the disk still works, and that every caller still hears
 * only once its group is durable, in order.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqlStore } from '../storage/sql/sql-store.js';
import { openSqlite } from '../storage/sql/sqlite-connection.js';
import type { SyncFile } from '../storage/sql/sqlite-wal-sync.js';
import type { AuditEventInput } from './audit-types.js';
import { createAuditWriter } from './audit-writer.js';

/** A sync primitive that passes while `held` is false and otherwise waits for the test. */
function heldDisk() {
  const calls: Array<() => void> = [];
  const disk: { held: boolean; calls: Array<() => void>; syncFile: SyncFile } = {
    held: false,
    calls,
    syncFile: () =>
      disk.held
        ? new Promise<void>((resolve) => {
            calls.push(resolve);
          })
        : Promise.resolve(),
  };
  return disk;
}

const turns = (ms = 20) => new Promise((r) => setTimeout(r, ms));
async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200 && !(await check()); i++) await turns(5);
}

const event = (n: number): AuditEventInput => ({
  id: `ev-${n}`,
  time: new Date(0).toISOString(),
  actor: 'tester',
  type: 'test.event',
  targetId: null,
  outcome: 'success',
  details: { n },
});

describe('AuditWriter on SQLite', () => {
  let dir: string | undefined;
  let store: SqlStore | undefined;
  afterEach(async () => {
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('writes the next group while the previous one syncs, and answers each once it is durable', async () => {
    dir = mkdtempSync(join(tmpdir(), 'keyward-audit-writer-'));
    const file = join(dir, 'k.db');
    const disk = heldDisk();
    const { db, dialect } = openSqlite(file, { syncFile: disk.syncFile });
    store = new SqlStore(db, dialect, { backend: 'sqlite', file });
    await store.migrate();
    const writer = createAuditWriter(store);
    const heard: string[] = [];

    disk.held = true;
    const first = writer.append(event(1)).then((e) => heard.push(e.id));
    await until(() => disk.calls.length === 1); // the first group committed; its sync is held
    const second = writer.append(event(2)).then((e) => heard.push(e.id));
    // The second group is written and committed while the first one's sync still runs.
    await until(async () => (await store!.audit.head()).seq === 2);
    expect((await store.audit.head()).seq).toBe(2);
    expect(heard).toEqual([]);

    disk.calls.shift()?.();
    await until(() => heard.length === 1);
    expect(heard).toEqual(['ev-1']); // the second waits for a sync that covers it
    await until(() => disk.calls.length === 1);
    disk.held = false;
    disk.calls.shift()?.();
    await Promise.all([first, second]);
    expect(heard).toEqual(['ev-1', 'ev-2']);
    await writer.close();
  });
});
