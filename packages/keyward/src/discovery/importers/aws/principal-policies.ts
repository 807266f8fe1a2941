/**
 * The policies a user, group or role holds: its inline policies (decoded in place) and the managed
 * policies attached to it (looked up by ARN in the export's Policies), each turned into grants.
 */
import type { FoundIn } from '../../import-batch.js';
import { isRecord, jsonPointer, stringField } from '../json-document.js';
import type { BatchBuilder } from './batch-builder.js';
import type { AuthDoc, ManagedPolicy } from './managed-policies.js';
import { decodeDocument, statementsOf } from './policy-document.js';
import { addGrants, addUnresolvedPolicy } from './policy-statements.js';

export interface HeldPolicies {
  allowed: string[];
  denies: Record<string, unknown>[];
  /** Names of the inline and attached policies, for the principal's details. */
  inline: string[];
  attached: string[];
  /** Attached policies not in the export. */
  unresolved: string[];
}

export function applyPolicies(
  b: BatchBuilder,
  from: string,
  inlineKey: 'UserPolicyList' | 'GroupPolicyList' | 'RolePolicyList',
  item: Record<string, unknown>,
  path: Array<string | number>,
  doc: AuthDoc,
  policies: ReadonlyMap<string, ManagedPolicy>,
  reportedMissing: Set<string>,
): HeldPolicies {
  const held: HeldPolicies = { allowed: [], denies: [], inline: [], attached: [], unresolved: [] };
  const problems = b.problems();
  const foundIn = (p: Array<string | number>): FoundIn => ({
    file: doc.file,
    path: jsonPointer(p),
    ...(doc.line ? { line: doc.line } : {}),
  });
  const inline = Array.isArray(item[inlineKey]) ? item[inlineKey] : [];
  inline.forEach((p, i) => {
    const at = [...path, inlineKey, i];
    if (!isRecord(p)) return;
    const name = stringField(p, 'PolicyName') ?? `inline-${i}`;
    const decoded = decodeDocument(
      p['PolicyDocument'],
      { file: doc.file, path: [...at, 'PolicyDocument'] },
      problems,
    );
    if (!decoded) return;
    held.inline.push(name);
    const statements = statementsOf(decoded, { file: doc.file, path: [...at, 'PolicyDocument'] }, problems);
    const out = addGrants(b, from, { name }, statements, foundIn([...at, 'PolicyDocument']));
    held.allowed.push(...out.allowed);
    held.denies.push(...out.denies);
  });
  const attached = Array.isArray(item['AttachedManagedPolicies']) ? item['AttachedManagedPolicies'] : [];
  attached.forEach((p, i) => {
    if (!isRecord(p)) return;
    const arn = stringField(p, 'PolicyArn');
    if (!arn) {
      problems.push({
        ...foundIn([...path, 'AttachedManagedPolicies', i]),
        severity: 'error',
        reason: 'attached policy skipped: it has no PolicyArn',
      });
      return;
    }
    const name = stringField(p, 'PolicyName') ?? arn.slice(arn.lastIndexOf('/') + 1);
    held.attached.push(name);
    const policy = policies.get(arn);
    if (!policy) {
      held.unresolved.push(arn);
      addUnresolvedPolicy(b, from, { name, arn }, foundIn([...path, 'AttachedManagedPolicies', i]));
      if (!reportedMissing.has(arn)) {
        reportedMissing.add(arn);
        problems.push({
          ...foundIn([...path, 'AttachedManagedPolicies', i]),
          severity: 'warning',
          reason: `managed policy ${arn} is not in the export (filtered out?); recorded as policy:${name} on *`,
        });
      }
      return;
    }
    const out = addGrants(b, from, { name: policy.name, arn }, policy.statements, {
      file: policy.file,
      path: policy.path,
    });
    held.allowed.push(...out.allowed);
    held.denies.push(...out.denies);
  });
  return held;
}
