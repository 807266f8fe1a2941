/**
 * Reading JSON input the way importers need it: a syntax error names its line and column (JSON.parse
 * gives an offset only), and a path into a parsed document is spelled as a JSON pointer for problems.
 */
import { parseDocument } from 'yaml';
import type { ImportProblem } from '../import-batch.js';

export type JsonParse = { ok: true; value: unknown } | { ok: false; problem: ImportProblem };

/** 1-based line and column of a character offset in `text`. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

/**
 * V8's message without the piece of the input it quotes (`Unexpected token 's', "{"a": secre"... is
 * not valid JSON`): the input may hold a secret, and problems are shown and stored.
 */
const withoutSource = (message: string): string =>
  message
    .replace(/, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, '')
    .replace(/ in JSON at position \d+.*$/s, '')
    .replace(/ \(line \d+ column \d+\)$/, '');

/** Where V8's `Unexpected token 'x', "…context…"... is not valid JSON` points (it quotes ±10 characters). */
function quotedOffset(body: string, message: string): number | undefined {
  const m = /^Unexpected token '(.)', (\.\.\.)?"(.*)"(?:\.\.\.)? is not valid JSON$/s.exec(message);
  if (!m) return undefined;
  const core = m[3]!;
  const start = body.indexOf(core);
  if (start < 0) return undefined;
  return m[2] ? start + 10 : start + Math.max(0, core.indexOf(m[1]!));
}

/** Parses `text` (a leading BOM is allowed); a syntax error becomes a problem with its line. */
export function parseJsonDocument(text: string, file: string): JsonParse {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const at = /position (\d+)/.exec(message);
    // Some of V8's messages carry no offset but quote the text around it; else the YAML parser
    // (JSON is YAML) locates the error.
    const offset = at
      ? Number(at[1])
      : (quotedOffset(body, message) ?? parseDocument(body).errors[0]?.pos[0] ?? body.length);
    const { line, column } = lineColumnAt(body, offset);
    const truncated =
      /end of (JSON )?input/i.test(message) || (at !== null && offset >= body.trimEnd().length);
    return {
      ok: false,
      problem: {
        file,
        line,
        severity: 'error',
        reason: truncated
          ? 'invalid JSON: the document ends early (truncated?)'
          : `invalid JSON at line ${line}, column ${column}: ${withoutSource(message)}`,
      },
    };
  }
}

/** RFC 6901 pointer of a path: `['Policies', 3, 'a/b']` → `/Policies/3/a~1b`. */
export function jsonPointer(path: ReadonlyArray<string | number>): string {
  return path.map((p) => `/${String(p).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The string at `value[key]`, or undefined when absent or not a non-empty string. */
export function stringField(value: Record<string, unknown>, key: string): string | undefined {
  const v = value[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}
