/**
 * Reads policy sets and policy tests from disk for the CLI: a directory (its `*.cedar` files, sorted
 * by name; tests in `*.json` below it) or explicit files. Names are kept relative so a set applied
 * from one machine compiles to the same ids and hash on another.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { KeywardError } from '../errors.js';
import type { PolicyFile } from './policy-set.js';

function walk(dir: string, ext: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full, ext));
    else if (entry.name.endsWith(ext)) out.push(full);
  }
  return out.sort();
}

function stat(p: string) {
  try {
    return statSync(p);
  } catch {
    throw new KeywardError('validation_failed', `no such file or directory: ${p}`);
  }
}

/** The `.cedar` files of the given directories and files. */
export function readPolicyFiles(paths: readonly string[]): PolicyFile[] {
  const files: PolicyFile[] = [];
  for (const p of paths) {
    if (stat(p).isDirectory()) {
      for (const f of walk(p, '.cedar')) {
        files.push({ name: path.relative(p, f).split(path.sep).join('/'), text: readFileSync(f, 'utf8') });
      }
    } else {
      files.push({ name: path.basename(p), text: readFileSync(p, 'utf8') });
    }
  }
  if (files.length === 0)
    throw new KeywardError('validation_failed', `no .cedar files in ${paths.join(', ')}`);
  return files;
}

/** The policy test files (`*.json`) of a directory, or the given files. */
export function readPolicyTests(paths: readonly string[]): Array<{ name: string; json: unknown }> {
  const names: string[] = [];
  for (const p of paths) names.push(...(stat(p).isDirectory() ? walk(p, '.json') : [p]));
  return names.map((name) => {
    try {
      return { name, json: JSON.parse(readFileSync(name, 'utf8')) as unknown };
    } catch (err) {
      throw new KeywardError('validation_failed', `${name}: not valid JSON (${(err as Error).message})`);
    }
  });
}
