/**
 * Walking a scan root: every regular file under it, honouring .gitignore files at every level
 * (those above the root up to its repository too), .git/info/exclude and .keywardignore files
 * (same syntax, scanner-only). .git is always skipped. Symlinks are followed, but a symlink back to
 * a directory being walked is a `symlink loop` problem, a dangling one is skipped, a directory
 * reached twice is walked once. Files over the size limit are counted and reported without being
 * read; unreadable directories are problems. Reading and scanning the files is the caller's job.
 */
import { type Dirent, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import type { ScanProblem } from './scan-types.js';

export interface WalkedFile {
  /** Absolute path, for reading. */
  abs: string;
  /** Relative to the root (POSIX separators), for reporting; a root file is its base name. */
  rel: string;
  size: number;
}

export interface WalkOptions {
  maxFileBytes: number;
  /** Path globs (allowlist): matching files are not scanned at all. */
  skip?: ((rel: string) => boolean) | undefined;
  onFile: (file: WalkedFile) => void | Promise<void>;
}

export interface WalkResult {
  problems: ScanProblem[];
  skipped: Record<string, number>;
}

interface Matcher {
  dir: string;
  ig: Ignore;
}

const IGNORE_FILES = ['.gitignore', '.keywardignore'];

export const reasonOf = (err: unknown): string => {
  const code = (err as { code?: string }).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ELOOP') return 'symlink loop';
  if (code === 'ENOENT') return 'does not exist';
  return err instanceof Error ? err.message : String(err);
};

const toPosix = (p: string) => (path.sep === '/' ? p : p.split(path.sep).join('/'));

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

function readSyncIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The git directory of a work tree at `dir` (`.git`, or where a `.git` file points), if any. */
async function gitDirOf(dir: string): Promise<string | undefined> {
  const dotGit = path.join(dir, '.git');
  try {
    if ((await stat(dotGit)).isDirectory()) return dotGit;
  } catch {
    return undefined;
  }
  const pointer = /^gitdir:\s*(.+)$/m.exec((await readIfExists(dotGit)) ?? '')?.[1]?.trim();
  if (!pointer) return undefined;
  const gitDir = path.resolve(dir, pointer);
  const common = (await readIfExists(path.join(gitDir, 'commondir')))?.trim();
  return common ? path.resolve(gitDir, common) : gitDir;
}

/** The top of the work tree holding `dir` (the directory with the `.git`), if any. */
export async function workTreeTop(dir: string): Promise<string | undefined> {
  for (let d = dir; ; d = path.dirname(d)) {
    if (await gitDirOf(d)) return d;
    if (path.dirname(d) === d) return undefined;
  }
}

/** .gitignore files from the repository root down to `dir`'s parent, and info/exclude. */
async function ancestorMatchers(dir: string): Promise<Matcher[]> {
  const chain: string[] = [];
  let top = dir;
  let gitDir = await gitDirOf(top);
  while (!gitDir) {
    const up = path.dirname(top);
    if (up === top) return [];
    top = up;
    chain.unshift(top);
    gitDir = await gitDirOf(top);
  }
  const out: Matcher[] = [];
  const exclude = await readIfExists(path.join(gitDir, 'info', 'exclude'));
  if (exclude) out.push({ dir: top, ig: ignore().add(exclude) });
  for (const d of chain) {
    const text = await readIfExists(path.join(d, '.gitignore'));
    if (text) out.push({ dir: d, ig: ignore().add(text) });
  }
  return out;
}

/** Whether the deepest matcher with an opinion ignores `abs`. */
function isIgnored(matchers: readonly Matcher[], abs: string, isDir: boolean): boolean {
  for (let i = matchers.length - 1; i >= 0; i--) {
    const m = matchers[i]!;
    const rel = toPosix(path.relative(m.dir, abs));
    if (!rel || rel.startsWith('..')) continue;
    const r = m.ig.test(isDir ? `${rel}/` : rel);
    if (r.ignored) return true;
    if (r.unignored) return false;
  }
  return false;
}

export async function walkTree(root: string, options: WalkOptions): Promise<WalkResult> {
  const out: WalkResult = { problems: [], skipped: {} };
  const skip = (reason: string) => {
    out.skipped[reason] = (out.skipped[reason] ?? 0) + 1;
  };
  const seen = new Set<string>();
  const rootInfo = await stat(root);
  const base = rootInfo.isDirectory() ? root : path.dirname(root);
  const relOf = (abs: string) => toPosix(path.relative(base, abs)) || path.basename(abs);

  async function file(abs: string, size: number): Promise<void> {
    const rel = relOf(abs);
    if (options.skip?.(rel)) return skip('allowlisted');
    if (size > options.maxFileBytes) {
      skip('too large');
      out.problems.push({
        path: rel,
        reason: `${size} bytes, over the ${options.maxFileBytes}-byte limit; not read`,
      });
      return;
    }
    await options.onFile({ abs, rel, size });
  }

  // The walk uses synchronous calls: tens of thousands of small stat/readdir calls through the
  // libuv thread pool cost several times their own time in scheduling (measured: the async walk
  // took longer than scanning the files it found), and the scanning runs on worker threads anyway.
  async function walk(dir: string, real: string, inherited: readonly Matcher[]): Promise<void> {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      out.problems.push({ path: relOf(dir), reason: `directory not read: ${reasonOf(err)}` });
      return;
    }
    const matchers = [...inherited];
    const names = new Set(entries.map((e) => e.name));
    for (const name of IGNORE_FILES) {
      if (!names.has(name)) continue;
      const text = readSyncIfExists(path.join(dir, name));
      if (text) matchers.push({ dir, ig: ignore().add(text) });
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: Array<[string, string]> = [];
    const files: Array<{ abs: string; size: number }> = [];
    for (const entry of entries) {
      if (entry.name === '.git') continue;
      const abs = path.join(dir, entry.name);
      let isDir = entry.isDirectory();
      let target = path.join(real, entry.name);
      if (entry.isSymbolicLink()) {
        try {
          const info = statSync(abs);
          isDir = info.isDirectory();
          if (!isDir && !info.isFile()) continue;
          if (isDir) target = realpathSync(abs);
        } catch (err) {
          if ((err as { code?: string }).code === 'ENOENT') skip('dangling symlink');
          else out.problems.push({ path: relOf(abs), reason: reasonOf(err) });
          continue;
        }
        if (isDir && (real === target || real.startsWith(target + path.sep))) {
          out.problems.push({
            path: relOf(abs),
            reason: 'symlink loop: links back to a directory being walked',
          });
          continue;
        }
      } else if (!isDir && !entry.isFile()) continue;
      if (isIgnored(matchers, abs, isDir)) {
        skip('ignored');
        continue;
      }
      if (isDir) {
        if (seen.has(target)) skip('directory seen before');
        else {
          seen.add(target);
          subdirs.push([abs, target]);
        }
      } else {
        try {
          files.push({ abs, size: statSync(abs).size });
        } catch (err) {
          out.problems.push({ path: relOf(abs), reason: `not read: ${reasonOf(err)}` });
        }
      }
    }
    for (const f of files) await file(f.abs, f.size);
    for (const [abs, target] of subdirs) await walk(abs, target, matchers);
  }

  if (!rootInfo.isDirectory()) {
    await file(root, rootInfo.size);
    return out;
  }
  const real = await realpath(root);
  seen.add(real);
  await walk(root, real, await ancestorMatchers(root));
  return out;
}
