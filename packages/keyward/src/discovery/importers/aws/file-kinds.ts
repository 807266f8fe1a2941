/**
 * Telling an AWS export by its content, not its name: authorization details (JSON with
 * UserDetailList/RoleDetailList/…), the credential report (CSV with its header, also still
 * base64-encoded or inside the get-credential-report JSON), and list-access-keys output (JSON or
 * text). Paginated exports may be pasted one after another into one file: each document is read
 * on its own, with its line, so a truncated last page costs only that page.
 */
import type { ImportFile, ImportProblem } from '../../import-batch.js';
import { isRecord, lineColumnAt, parseJsonDocument } from '../json-document.js';
import {
  type AccessKeyFile,
  isAccessKeyDocument,
  isAccessKeyText,
  readAccessKeyJson,
  readAccessKeyText,
} from './access-keys.js';
import { REPORT_HEADER } from './credential-report.js';
import type { AuthDoc } from './managed-policies.js';

export type FileKind = 'authorization-details' | 'credential-report' | 'access-keys';

export type Section =
  | { kind: 'authorization-details'; doc: AuthDoc }
  | { kind: 'credential-report'; file: string; text: string }
  | { kind: 'access-keys'; file: string; keys: AccessKeyFile };

const AUTH_KEYS = ['UserDetailList', 'GroupDetailList', 'RoleDetailList', 'Policies'];
const EXPECTED =
  'not an AWS IAM export (expected `aws iam get-account-authorization-details` JSON, a credential report CSV, or `aws iam list-access-keys` output)';

/** Start offsets of the top-level JSON values of `text`, or undefined when it is not a run of them. */
export function splitJsonValues(text: string): number[] | undefined {
  const starts: number[] = [];
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      if (depth === 0) starts.push(i);
      depth++;
    } else if (c === '}' || c === ']') depth--;
    else if (depth === 0 && !/\s/.test(c ?? '')) return undefined;
    if (depth < 0) return undefined;
  }
  return starts;
}

function decodeBase64Report(text: string): string | undefined {
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return undefined;
  const decoded = Buffer.from(compact, 'base64').toString('utf8');
  return REPORT_HEADER.test(decoded) ? decoded : undefined;
}

function classifyValue(
  value: unknown,
  file: string,
  line: number | undefined,
  problems: ImportProblem[],
): Section[] {
  if (isRecord(value) && AUTH_KEYS.some((k) => k in value))
    return [{ kind: 'authorization-details', doc: { file, value, ...(line ? { line } : {}) } }];
  if (isAccessKeyDocument(value))
    return [{ kind: 'access-keys', file, keys: readAccessKeyJson(value, file, problems, line) }];
  // `aws iam get-credential-report` without --query: the CSV is base64 in Content.
  if (isRecord(value) && typeof value['Content'] === 'string') {
    const text = decodeBase64Report(value['Content']);
    if (text) return [{ kind: 'credential-report', file, text }];
  }
  problems.push({ file, ...(line ? { line } : {}), severity: 'error', reason: EXPECTED });
  return [];
}

export function classifyFile(f: ImportFile, problems: ImportProblem[]): Section[] {
  const text = f.text.charCodeAt(0) === 0xfeff ? f.text.slice(1) : f.text;
  const trimmed = text.trimStart();
  if (REPORT_HEADER.test(trimmed)) return [{ kind: 'credential-report', file: f.path, text: trimmed }];
  if (isAccessKeyText(text))
    return [{ kind: 'access-keys', file: f.path, keys: readAccessKeyText(text, f.path, problems) }];
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    const starts = splitJsonValues(text);
    if (!starts || starts.length <= 1) {
      const parsed = parseJsonDocument(text, f.path);
      if (!parsed.ok) {
        problems.push(parsed.problem);
        return [];
      }
      return classifyValue(parsed.value, f.path, undefined, problems);
    }
    return starts.flatMap((start, i) => {
      const line = lineColumnAt(text, start).line;
      const parsed = parseJsonDocument(text.slice(start, starts[i + 1] ?? text.length), f.path);
      if (!parsed.ok) {
        const at = line + (parsed.problem.line ?? 1) - 1;
        const reason = parsed.problem.reason.replace(/at line \d+,/, `at line ${at},`);
        problems.push({ ...parsed.problem, line: at, reason });
        return [];
      }
      return classifyValue(parsed.value, f.path, line, problems);
    });
  }
  const report = decodeBase64Report(text);
  if (report) return [{ kind: 'credential-report', file: f.path, text: report }];
  problems.push({ file: f.path, severity: 'error', reason: EXPECTED });
  return [];
}
