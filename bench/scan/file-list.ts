/**
 * The files a tree scan reads, listed once so that every tool in the benchmark is given the same
 * input and the same byte count: regular files under the root, `.git` skipped, `.gitignore` files
 * honoured at every level (as the Keyward scanner does), symlinks not followed, files over 10 MiB
 * and binaries (a NUL byte in the first 8 KB) left out.
 */
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ignore, { type Ignore } from 'ignore';

export interface ScanFile {
  /** Relative to the root, `/`-separated. */
  path: string;
  bytes: number;
}

const MAX_BYTES = 10 * 1024 * 1024;

function isBinary(full: string): boolean {
  const fd = openSync(full, 'r');
  try {
    const buf = Buffer.alloc(8192);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).includes(0);
  } finally {
    closeSync(fd);
  }
}

export function listScanFiles(root: string): ScanFile[] {
  const out: ScanFile[] = [];
  const walk = (rel: string, rules: { base: string; ig: Ignore }[]) => {
    const dir = rel ? join(root, rel) : root;
    let here = rules;
    try {
      const text = readFileSync(join(dir, '.gitignore'), 'utf8');
      here = [...rules, { base: rel, ig: ignore().add(text) }];
    } catch {}
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of entries) {
      if (e.name === '.git') continue;
      const path = rel ? `${rel}/${e.name}` : e.name;
      const isDir = e.isDirectory();
      const ignored = here.some(({ base, ig }) => {
        const sub = base ? path.slice(base.length + 1) : path;
        return ig.ignores(isDir ? `${sub}/` : sub);
      });
      if (ignored) continue;
      if (isDir) walk(path, here);
      else if (e.isFile()) {
        const full = join(root, path);
        const bytes = statSync(full).size;
        if (bytes <= MAX_BYTES && !isBinary(full)) out.push({ path, bytes });
      }
    }
  };
  walk('', []);
  return out;
}
