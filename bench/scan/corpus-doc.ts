/**
 * Writing labelled files: a file is built as lines in which secrets and decoys are placeholders;
 * when it is written the placeholders are replaced and the line each one lands on (after earlier
 * multi-line values) is recorded as its label. So a template never counts lines by hand.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DecoyLabel, SecretLabel } from './corpus-labels.js';

export const fingerprint = (secret: string) => `sha256:${createHash('sha256').update(secret).digest('hex')}`;

export interface SecretSpec {
  provider: string;
  kind: string;
  /** The secret itself (fingerprinted). */
  secret: string;
  /** What is written, when it differs from the secret (an escaped or indented key …). */
  text?: string | undefined;
  match?: 'fingerprint' | 'location' | undefined;
  /** Other spans whose fingerprints also identify this secret. */
  alt?: string[] | undefined;
}

export interface Doc {
  /** Appends lines; each may hold placeholders from `s` and `d`, and may itself contain newlines. */
  line(...lines: string[]): void;
  /** A true secret's placeholder. */
  s(spec: SecretSpec): string;
  /** A decoy's placeholder. */
  d(kind: string, text: string): string;
}

type Entry = { secret: SecretSpec } | { decoy: string; text: string };

export interface RenderedDoc {
  content: string;
  secrets: Omit<SecretLabel, 'path' | 'historyOnly'>[];
  decoys: Omit<DecoyLabel, 'path'>[];
}

export function renderDoc(build: (d: Doc) => void): RenderedDoc {
  const lines: string[] = [];
  const entries: Entry[] = [];
  const placeholder = (e: Entry) => {
    entries.push(e);
    return `\uE000${entries.length - 1}\uE001`;
  };
  build({
    line: (...l) => lines.push(...l),
    s: (spec) => placeholder({ secret: spec }),
    d: (kind, text) => placeholder({ decoy: kind, text }),
  });
  const source = `${lines.join('\n')}\n`;
  const secrets: RenderedDoc['secrets'] = [];
  const decoys: RenderedDoc['decoys'] = [];
  let out = '';
  let lineNo = 1;
  let last = 0;
  const countLines = (s: string) => {
    for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 10) lineNo++;
  };
  for (const m of source.matchAll(/\uE000(\d+)\uE001/g)) {
    const before = source.slice(last, m.index);
    countLines(before);
    out += before;
    const e = entries[Number(m[1])]!;
    const text = 'secret' in e ? (e.secret.text ?? e.secret.secret) : e.text;
    const start = lineNo;
    countLines(text);
    if ('secret' in e) {
      const { provider, kind, secret, match, alt } = e.secret;
      secrets.push({
        line: start,
        endLine: lineNo - (text.endsWith('\n') ? 1 : 0),
        provider,
        kind,
        fingerprint: fingerprint(secret),
        altFingerprints: (alt ?? []).map(fingerprint),
        match: match ?? 'fingerprint',
      });
    } else {
      decoys.push({ line: start, kind: e.decoy });
    }
    out += text;
    last = m.index + m[0].length;
  }
  out += source.slice(last);
  return { content: out, secrets, decoys };
}

export interface CorpusWriter {
  root: string;
  labels: SecretLabel[];
  decoys: DecoyLabel[];
  files: number;
  bytes: number;
  /** Writes `path` (relative, `/`-separated) and records its labels; returns the labels it added. */
  file(path: string, build: (d: Doc) => void, options?: { historyOnly?: boolean }): SecretLabel[];
  /** Writes a file with no labels. */
  raw(path: string, content: string | Buffer): void;
}

export function createCorpusWriter(root: string, prefix = ''): CorpusWriter {
  const w: CorpusWriter = {
    root,
    labels: [],
    decoys: [],
    files: 0,
    bytes: 0,
    file(path, build, options = {}) {
      const r = renderDoc(build);
      w.raw(path, r.content);
      const added = r.secrets.map((s) => ({ ...s, path: prefix + path, historyOnly: !!options.historyOnly }));
      w.labels.push(...added);
      w.decoys.push(...r.decoys.map((d) => ({ ...d, path: prefix + path })));
      return added;
    },
    raw(path, content) {
      const full = join(root, path);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
      w.files++;
      w.bytes += Buffer.byteLength(content);
    },
  };
  return w;
}
