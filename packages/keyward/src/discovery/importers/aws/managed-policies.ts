/**
 * The customer-managed (and, when the export was not filtered, AWS-managed) policies of an
 * authorization-details export, by ARN, each with the statements of its default version: the one
 * in force, whatever older versions the list still holds.
 */
import type { ImportProblem } from '../../import-batch.js';
import { isRecord, jsonPointer, stringField } from '../json-document.js';
import { decodeDocument, type Statement, statementsOf } from './policy-document.js';

export interface ManagedPolicy {
  arn: string;
  name: string;
  statements: Statement[];
  file: string;
  path: string;
}

export interface AuthDoc {
  file: string;
  value: Record<string, unknown>;
  /** 1-based line where the document starts, when a file holds several (concatenated pages). */
  line?: number | undefined;
}

export function listOf(doc: AuthDoc, key: string): Array<{ item: unknown; path: Array<string | number> }> {
  const list = doc.value[key];
  return Array.isArray(list) ? list.map((item, i) => ({ item, path: [key, i] })) : [];
}

/** Managed policies of every document, by ARN (a later page's copy of a policy replaces nothing). */
export function indexPolicies(
  docs: readonly AuthDoc[],
  problems: ImportProblem[],
): Map<string, ManagedPolicy> {
  const out = new Map<string, ManagedPolicy>();
  for (const doc of docs) {
    for (const { item, path } of listOf(doc, 'Policies')) {
      const arn = isRecord(item) ? stringField(item, 'Arn') : undefined;
      if (!isRecord(item) || !arn) {
        problems.push({
          file: doc.file,
          line: doc.line,
          path: jsonPointer(path),
          severity: 'error',
          reason: 'policy skipped: it has no Arn',
        });
        continue;
      }
      if (out.has(arn)) continue;
      const versions = Array.isArray(item['PolicyVersionList']) ? item['PolicyVersionList'] : [];
      const defaultId = stringField(item, 'DefaultVersionId');
      let index = versions.findIndex((v) => isRecord(v) && v['IsDefaultVersion'] === true);
      if (index < 0) index = versions.findIndex((v) => isRecord(v) && v['VersionId'] === defaultId);
      if (index < 0 && versions.length === 1) index = 0;
      const version = versions[index];
      const docPath = [...path, 'PolicyVersionList', index, 'Document'];
      if (!isRecord(version)) {
        problems.push({
          file: doc.file,
          line: doc.line,
          path: jsonPointer(path),
          severity: 'error',
          reason: `policy ${arn} has no default version; its grants are unknown`,
        });
        continue;
      }
      const at = { file: doc.file, path: docPath };
      const decoded = decodeDocument(version['Document'], at, problems);
      out.set(arn, {
        arn,
        name: stringField(item, 'PolicyName') ?? arn.slice(arn.lastIndexOf('/') + 1),
        statements: decoded ? statementsOf(decoded, at, problems) : [],
        file: doc.file,
        path: jsonPointer(docPath),
      });
    }
  }
  return out;
}
