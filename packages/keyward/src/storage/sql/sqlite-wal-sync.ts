/**
 * Durable SQLite commits without blocking the event loop.
 *
 * better-sqlite3 is synchronous: with synchronous=FULL every COMMIT waits for an fdatasync of the WAL
 * on the main thread (measured 1.4–1.7 ms here), and nothing else runs meanwhile: no HTTP parsing, no
 * decisions, no preparing the next audit group. So the connection runs synchronous=NORMAL (COMMIT
 * writes the WAL frames to the OS, no sync) and the store makes the commit durable itself before it
 * acknowledges: it fdatasyncs the WAL file on libuv's thread pool and only then returns from the
 * transaction. A commit that returned is on disk, as with FULL; the thread is free while the disk works.
 *
 * Why this is as strong as FULL: in WAL mode FULL means "sync the WAL at each commit", which is
 * exactly this call, made a moment later, from another thread. Frames that a checkpoint moved into the
 * database before our sync ran are safe too: with NORMAL, SQLite syncs the WAL before and the database
 * after every checkpoint. The WAL file keeps its inode while any connection is open (a restart rewrites
 * it in place), so the descriptor opened here stays the live file's. The directory is synced once, so
 * the WAL file's own entry is durable (FULL does that on its first sync).
 *
 * Syncs coalesce like group commits: one runs at a time, and every commit that arrives meanwhile waits
 * for the next one, which covers them all. A failed sync is sticky: after an fsync error the kernel may
 * already have dropped the dirty pages, so no later write is acknowledged either (fail closed;
 * restart to recover from the WAL that is on disk).
 */
import { constants, promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import { StorageError } from '../storage-errors.js';

export interface WalSync {
  /** Resolves once every commit made before the call is on disk. */
  sync(): Promise<void>;
  /** Waits for syncs in flight, then releases the descriptor. */
  close(): Promise<void>;
}

/** The sync primitive, replaceable in tests (to count calls, delay or fail them). */
export type SyncFile = (fd: fs.FileHandle) => Promise<void>;
const datasync: SyncFile = (fd) => fd.datasync();

export function createWalSync(databaseFile: string, syncFile: SyncFile = datasync): WalSync {
  const walFile = `${databaseFile}-wal`;
  let handle: Promise<fs.FileHandle> | undefined;
  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
  let failure: StorageError | undefined;

  async function open(): Promise<fs.FileHandle> {
    const fd = await fs.open(walFile, constants.O_RDWR);
    const dir = await fs.open(dirname(walFile), constants.O_RDONLY);
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
    return fd;
  }

  async function once(): Promise<void> {
    if (failure) throw failure;
    try {
      handle ??= open();
      await syncFile(await handle);
    } catch (err) {
      handle = undefined;
      failure = new StorageError(
        'unavailable',
        `could not make the SQLite WAL durable (${walFile}): ${(err as Error).message}`,
        { cause: err },
      );
      throw failure;
    }
  }

  function start(): Promise<void> {
    const p = once().finally(() => {
      if (running === p) running = undefined;
    });
    running = p;
    return p;
  }

  return {
    sync() {
      if (failure) return Promise.reject(failure);
      if (!running) return start();
      // A sync already in flight may have started before this caller's commit: wait for the next.
      queued ??= running
        .catch(() => undefined)
        .then(() => {
          queued = undefined;
          return start();
        });
      return queued;
    },
    async close() {
      await Promise.allSettled([running, queued]);
      const h = handle;
      handle = undefined;
      if (h) await (await h.catch(() => undefined))?.close();
    },
  };
}
