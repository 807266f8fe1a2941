/**
 * `aws iam list-access-keys` (JSON, or `--output text`: `ACCESSKEYMETADATA <id> <created> <status>
 * <user>`) and `aws iam get-access-key-last-used` output, read into key records. These are the only
 * exports that name key ids, so the credential report's anonymous key slots are joined to them.
 */
import type { ImportProblem } from '../../import-batch.js';
import { isRecord, jsonPointer, stringField } from '../json-document.js';
import { isoDate } from './aws-dates.js';

export interface AccessKeyRecord {
  userName: string;
  keyId: string;
  status: 'active' | 'inactive';
  createdAt?: string | undefined;
  file: string;
  path?: string | undefined;
  line?: number | undefined;
}

export interface KeyLastUsed {
  userName?: string | undefined;
  keyId?: string | undefined;
  lastUsedAt?: string | undefined;
  service?: string | undefined;
  region?: string | undefined;
  file: string;
}

export interface AccessKeyFile {
  keys: AccessKeyRecord[];
  lastUsed: KeyLastUsed[];
}

const KEY_ID = /^A[KS]IA[A-Z0-9]{12,}$/;

const statusOf = (s: string | undefined): 'active' | 'inactive' =>
  s?.toLowerCase() === 'active' ? 'active' : 'inactive';

/** Whether a parsed JSON document is one of these outputs (or a list of them). */
export function isAccessKeyDocument(value: unknown): boolean {
  const one = (v: unknown) =>
    isRecord(v) && (Array.isArray(v['AccessKeyMetadata']) || isRecord(v['AccessKeyLastUsed']));
  return one(value) || (Array.isArray(value) && value.length > 0 && value.every(one));
}

export function readAccessKeyJson(
  value: unknown,
  file: string,
  problems: ImportProblem[],
  line?: number,
): AccessKeyFile {
  const out: AccessKeyFile = { keys: [], lastUsed: [] };
  const docs = Array.isArray(value)
    ? value.map((v, i) => ({ v, at: [i] }))
    : [{ v: value, at: [] as number[] }];
  for (const { v, at } of docs) {
    if (!isRecord(v)) continue;
    if (isRecord(v['AccessKeyLastUsed'])) {
      const used = v['AccessKeyLastUsed'];
      out.lastUsed.push({
        userName: stringField(v, 'UserName'),
        keyId: stringField(v, 'AccessKeyId'),
        lastUsedAt: isoDate(used['LastUsedDate']),
        service: stringField(used, 'ServiceName'),
        region: stringField(used, 'Region'),
        file,
      });
    }
    const list = Array.isArray(v['AccessKeyMetadata']) ? v['AccessKeyMetadata'] : [];
    list.forEach((k, i) => {
      const path = jsonPointer([...at, 'AccessKeyMetadata', i]);
      const keyId = isRecord(k) ? stringField(k, 'AccessKeyId') : undefined;
      const userName = isRecord(k) ? stringField(k, 'UserName') : undefined;
      if (!isRecord(k) || !keyId || !userName) {
        const missing = [!keyId && 'AccessKeyId', !userName && 'UserName'].filter(Boolean).join(' and ');
        problems.push({
          file,
          line,
          path,
          severity: 'error',
          reason: `access key skipped: it has no ${missing}`,
        });
        return;
      }
      out.keys.push({
        userName,
        keyId,
        status: statusOf(stringField(k, 'Status')),
        createdAt: isoDate(k['CreateDate']),
        file,
        path,
        ...(line ? { line } : {}),
      });
    });
  }
  return out;
}

/** Whether `text` is the text form: some line starts with ACCESSKEYMETADATA. */
export const isAccessKeyText = (text: string): boolean => /^ACCESSKEYMETADATA\s/m.test(text);

export function readAccessKeyText(text: string, file: string, problems: ImportProblem[]): AccessKeyFile {
  const out: AccessKeyFile = { keys: [], lastUsed: [] };
  text.split(/\r?\n/).forEach((raw, i) => {
    const cells = raw.trim().split(/\s+/);
    if (cells[0] !== 'ACCESSKEYMETADATA') return;
    // The CLI prints the fields in key order: AccessKeyId, CreateDate, Status, UserName.
    const [, keyId = '', created, status, userName] = cells;
    if (!KEY_ID.test(keyId) || !userName) {
      problems.push({
        file,
        line: i + 1,
        severity: 'error',
        reason: 'access key line skipped: expected ACCESSKEYMETADATA <key id> <created> <status> <user>',
      });
      return;
    }
    out.keys.push({
      userName,
      keyId,
      status: statusOf(status),
      createdAt: isoDate(created),
      file,
      line: i + 1,
    });
  });
  return out;
}
