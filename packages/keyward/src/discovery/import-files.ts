/**
 * Reading import input from disk (the CLI's own files, or a server-side path under the discovery
 * roots): files or directories walked recursively, each file checked before it is read, so a 10 GB
 * file, a binary, a symlink loop or an unreadable directory is one problem line, not a failed run.
 */
import { lstat, open, readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { KeywardError } from '../errors.js';
import type { ImportFile, ImportProblem } from './import-batch.js';

const SNIFF_BYTES = 8192;
const SKIPPED_DIRS = new Set(['.git', 'node_modules', '.terraform']);
const INPUT_EXTENSIONS = new Set(['.json', '.yaml', '.yml', '.csv', '.tsv', '.txt', '']);

export interface ReadInputs {
  files: ImportFile[];
  problems: ImportProblem[];
  bytes: number;
}

async function isBinary(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    return buffer.subarray(0, bytesRead).includes(0);
  } finally {
    await handle.close();
  }
}

const reasonOf = (err: unknown): string => {
  const code = (err as { code?: string }).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ELOOP') return 'symlink loop';
  if (code === 'ENOENT') return 'does not exist';
  return err instanceof Error ? err.message : String(err);
};

/**
 * Reads every input file under `paths`. In a directory only files with an input extension (json,
 * yaml, yml, csv, tsv, txt, none) are taken; a file named directly is always read. Paths in the
 * result are as the caller named them (joined with the relative path inside a directory).
 */
export async function readImportInputs(paths: readonly string[], maxBytes: number): Promise<ReadInputs> {
  const out: ReadInputs = { files: [], problems: [], bytes: 0 };
  const seenDirs = new Set<string>();
  const problem = (file: string, reason: string) => out.problems.push({ file, reason, severity: 'error' });

  async function readOne(file: string): Promise<void> {
    const info = await stat(file);
    if (out.bytes + info.size > maxBytes) {
      problem(file, `${info.size} bytes would take the import past its limit of ${maxBytes} bytes; skipped`);
      return;
    }
    if (await isBinary(file)) {
      problem(file, 'a binary file, not JSON, YAML or CSV; skipped');
      return;
    }
    const text = await readFile(file, 'utf8');
    out.bytes += info.size;
    out.files.push({ path: file, text });
  }

  async function walk(dir: string): Promise<void> {
    const real = await realpath(dir);
    if (seenDirs.has(real)) {
      problem(dir, 'a directory seen before (symlink loop); skipped');
      return;
    }
    seenDirs.add(real);
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      try {
        const info = entry.isSymbolicLink() ? await stat(full) : await lstat(full);
        if (info.isDirectory()) {
          if (!SKIPPED_DIRS.has(entry.name)) await walk(full);
        } else if (info.isFile() && INPUT_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) {
          await readOne(full);
        }
      } catch (err) {
        problem(full, `not read: ${reasonOf(err)}`);
      }
    }
  }

  for (const p of paths) {
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(p);
    } catch (err) {
      throw new KeywardError('validation_failed', `cannot read ${p}: ${reasonOf(err)}`);
    }
    try {
      if (info.isDirectory()) await walk(p);
      else await readOne(p);
    } catch (err) {
      problem(p, `not read: ${reasonOf(err)}`);
    }
  }
  return out;
}

/** Resolves a server-side path, refusing anything outside the configured discovery roots. */
export async function underDiscoveryRoots(requested: string, roots: readonly string[]): Promise<string> {
  if (roots.length === 0) {
    throw new KeywardError(
      'forbidden',
      'server-side paths are off: set KEYWARD_DISCOVERY_ROOTS to the directories the server may read, or upload the files',
    );
  }
  let real: string;
  try {
    real = await realpath(path.resolve(requested));
  } catch (err) {
    throw new KeywardError('validation_failed', `cannot read ${requested}: ${reasonOf(err)}`);
  }
  for (const root of roots) {
    const realRoot = await realpath(root).catch(() => root);
    if (real === realRoot || real.startsWith(`${realRoot}${path.sep}`)) return real;
  }
  throw new KeywardError('forbidden', `${requested} is outside KEYWARD_DISCOVERY_ROOTS`);
}
