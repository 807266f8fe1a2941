/**
 * Reading a generic input file into rows of column → value, each with where it was found: CSV (a
 * header row; `,` `;` or tab found from the header; quoted fields may hold newlines and the
 * delimiter), JSON (an array of objects, or one under `records`, `items` or `identities`) or NDJSON
 * (one object per line). A row that cannot be read is a problem with its line; the others go on.
 */
import { parse } from 'csv-parse/sync';
import type { FoundIn, ImportFile, ImportProblem } from '../../import-batch.js';
import { isRecord, jsonPointer, parseJsonDocument } from '../json-document.js';
import { cellText } from './generic-values.js';

export interface InputRow {
  values: Record<string, unknown>;
  foundIn: FoundIn;
}

export interface ReadRows {
  rows: InputRow[];
  /** Every column or key seen, in first-seen order. */
  columns: string[];
  problems: ImportProblem[];
  counts: Record<string, number>;
  /** CSV: every row has every column (so two columns for one field is worth a warning). */
  tabular?: boolean;
}

/** The delimiter the header uses most, outside quotes (`,` when none). */
export function detectDelimiter(text: string): string {
  const header =
    text
      .replace(/^\ufeff/, '')
      .split(/\r?\n/)
      .find((l) => l.trim() !== '') ?? '';
  const n: Record<string, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const c of header) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && c in n) n[c] = (n[c] ?? 0) + 1;
  }
  const [best] = Object.entries(n).sort((a, b) => b[1] - a[1]);
  return best && best[1] > 0 ? best[0] : ',';
}

/** The 1-based line a record starts on, from the line it ends on and its raw text. */
function startLine(endLine: number, raw: string | undefined): number {
  const body = (raw ?? '').replace(/^[\r\n]+/, '').replace(/[\r\n]+$/, '');
  return endLine - (body.match(/\n/g)?.length ?? 0);
}

const isEmpty = (values: Record<string, unknown>) =>
  Object.values(values).every((v) => cellText(v) === undefined);

export function readCsv(file: ImportFile): ReadRows {
  const out: ReadRows = { rows: [], columns: [], problems: [], counts: {}, tabular: true };
  let records: Array<{ record: string[]; info: { lines: number }; raw?: string }>;
  try {
    records = parse(file.text, {
      delimiter: detectDelimiter(file.text),
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      info: true,
      raw: true,
      on_skip: (err, raw) => {
        const end = (err as { lines?: number } | undefined)?.lines ?? 0;
        out.problems.push({
          file: file.path,
          line: startLine(end, raw),
          severity: 'error',
          reason: `unreadable CSV row: ${err?.message ?? 'parse error'}; skipped`,
        });
      },
    }) as unknown as typeof records;
  } catch (err) {
    out.problems.push({
      file: file.path,
      severity: 'error',
      reason: `unreadable CSV: ${(err as Error).message}`,
    });
    return out;
  }
  const [head, ...body] = records;
  if (!head) {
    out.problems.push({ file: file.path, severity: 'error', reason: 'empty CSV: no header row' });
    return out;
  }
  const columns = head.record.map((c) => c.trim());
  out.columns = columns;
  for (const r of body) {
    const line = startLine(r.info.lines, r.raw);
    if (r.record.length > columns.length && r.record.slice(columns.length).some((v) => v.trim() !== '')) {
      out.problems.push({
        file: file.path,
        line,
        severity: 'error',
        reason: `row has ${r.record.length} fields but the header has ${columns.length} (an unquoted delimiter?); skipped`,
      });
      continue;
    }
    const values: Record<string, unknown> = {};
    columns.forEach((c, i) => {
      if (c !== '') values[c] = r.record[i] ?? '';
    });
    if (isEmpty(values)) {
      out.counts['empty row (skipped)'] = (out.counts['empty row (skipped)'] ?? 0) + 1;
      continue;
    }
    out.counts['CSV row'] = (out.counts['CSV row'] ?? 0) + 1;
    out.rows.push({ values, foundIn: { file: file.path, line } });
  }
  return out;
}

function addObject(out: ReadRows, value: unknown, foundIn: FoundIn, what: string): void {
  if (!isRecord(value)) {
    out.problems.push({ ...foundIn, severity: 'error', reason: `${what} is not an object; skipped` });
    return;
  }
  for (const k of Object.keys(value)) if (!out.columns.includes(k)) out.columns.push(k);
  if (isEmpty(value) && Object.values(value).every((v) => !Array.isArray(v) && !isRecord(v))) {
    out.counts['empty row (skipped)'] = (out.counts['empty row (skipped)'] ?? 0) + 1;
    return;
  }
  out.counts[what] = (out.counts[what] ?? 0) + 1;
  out.rows.push({ values: value, foundIn });
}

export function readNdjson(file: ImportFile): ReadRows {
  const out: ReadRows = { rows: [], columns: [], problems: [], counts: {} };
  file.text
    .replace(/^\ufeff/, '')
    .split('\n')
    .forEach((text, i) => {
      if (text.trim() === '') return;
      const parsed = parseJsonDocument(text, file.path);
      if (!parsed.ok) {
        out.problems.push({
          ...parsed.problem,
          line: i + 1,
          reason: `line ${i + 1}: ${parsed.problem.reason}; skipped`,
        });
        return;
      }
      addObject(out, parsed.value, { file: file.path, line: i + 1 }, 'NDJSON record');
    });
  return out;
}

/** Whether a document that is not one JSON value is NDJSON: its first line is an object by itself. */
function looksLikeNdjson(text: string): boolean {
  const lines = text
    .replace(/^\ufeff/, '')
    .split('\n')
    .filter((l) => l.trim() !== '');
  return lines.length > 1 && parseJsonDocument(lines[0] ?? '', '').ok && /^\s*\{/.test(lines[0] ?? '');
}

export function readJson(file: ImportFile): ReadRows {
  const parsed = parseJsonDocument(file.text, file.path);
  if (!parsed.ok) {
    if (looksLikeNdjson(file.text)) return readNdjson(file);
    return { rows: [], columns: [], problems: [parsed.problem], counts: {} };
  }
  const out: ReadRows = { rows: [], columns: [], problems: [], counts: {} };
  const doc = parsed.value;
  const key = isRecord(doc)
    ? ['records', 'items', 'identities'].find((k) => Array.isArray(doc[k]))
    : undefined;
  const list = Array.isArray(doc) ? doc : key && isRecord(doc) ? (doc[key] as unknown[]) : undefined;
  if (!list) {
    out.problems.push({
      file: file.path,
      severity: 'error',
      reason: 'expected an array of records, or an object with one under "records", "items" or "identities"',
    });
    return out;
  }
  list.forEach((v, i) => {
    addObject(out, v, { file: file.path, path: jsonPointer(key ? [key, i] : [i]) }, 'JSON record');
  });
  return out;
}

/** By extension (`.csv`, `.tsv`, `.json`, `.ndjson`, `.jsonl`), else by the first character. */
export function readRows(file: ImportFile): ReadRows {
  const ext = /\.([a-z]+)(\.txt)?$/i.exec(file.path)?.[1]?.toLowerCase();
  if (ext === 'ndjson' || ext === 'jsonl') return readNdjson(file);
  if (ext === 'json') return readJson(file);
  if (ext === 'csv' || ext === 'tsv') return readCsv(file);
  return /^\ufeff?\s*[[{]/.test(file.text) ? readJson(file) : readCsv(file);
}
