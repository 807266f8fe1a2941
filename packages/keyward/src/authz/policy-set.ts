/**
 * Compiles policy files (Cedar text) into a policy set Keyward can load: ids from `@id("…")`
 * annotations (else `<file>:<n>`), strict validation against Keyward's schema, the ids of the
 * approval-lifted `forbid`s (`@approval("required")`), the set with those removed (what an approval
 * leaves in force), and which context attributes the policies read (the decision cache keys on those
 * only). Offline: the CLI's `validate`/`test` and the server's `apply` run exactly this.
 */
import { createHash } from 'node:crypto';
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import { schemaText } from './cedar-schema.js';
import { type ContextUse, contextUseOf } from './context-use.js';

export interface PolicyFile {
  name: string;
  text: string;
}

export interface PolicyProblem {
  file: string | null;
  policyId: string | null;
  message: string;
}

export interface CompiledPolicySet {
  /** SHA-256 of the files: the preparse id, stable across processes. */
  hash: string;
  files: PolicyFile[];
  /** Policy id → Cedar text. */
  policies: Record<string, string>;
  /** Policy id → the file it came from. */
  fileOf: Record<string, string>;
  /** Ids of the `forbid`s an approval lifts. */
  approvalIds: ReadonlySet<string>;
  /** The policies that stay in force once an approval is granted. */
  lifted: Record<string, string>;
  contextUse: ContextUse;
}

export type CompileResult = { ok: true; set: CompiledPolicySet } | { ok: false; problems: PolicyProblem[] };

const ID = /^[A-Za-z0-9_.:/-]{1,128}$/;

function messages(errors: Array<{ message: string }>): string {
  return errors.map((e) => e.message).join('; ');
}

/** The policy texts of one file in source order (cedar-wasm returns them sorted by `policyN` as text). */
function partsInOrder(file: PolicyFile): { policies: string[] } | { problem: PolicyProblem } {
  const parts = cedar.policySetTextToParts(file.text);
  if (parts.type === 'failure')
    return { problem: { file: file.name, policyId: null, message: messages(parts.errors) } };
  if (parts.policy_templates.length > 0) {
    return { problem: { file: file.name, policyId: null, message: 'policy templates are not supported' } };
  }
  const sortedIds = parts.policies.map((_, i) => `policy${i}`).sort();
  const ordered: string[] = new Array(parts.policies.length);
  sortedIds.forEach((id, k) => {
    ordered[Number(id.slice('policy'.length))] = parts.policies[k]!;
  });
  return { policies: ordered };
}

const baseName = (name: string): string => name.replace(/^.*[\\/]/, '').replace(/\.cedar$/, '');

export function compilePolicySet(files: PolicyFile[]): CompileResult {
  const problems: PolicyProblem[] = [];
  const policies: Record<string, string> = {};
  const fileOf: Record<string, string> = {};
  const approvalIds = new Set<string>();
  const json: cedar.PolicyJson[] = [];
  for (const file of files) {
    const parsed = partsInOrder(file);
    if ('problem' in parsed) {
      problems.push(parsed.problem);
      continue;
    }
    parsed.policies.forEach((text, i) => {
      const asJson = cedar.policyToJson(text);
      if (asJson.type === 'failure') {
        problems.push({ file: file.name, policyId: null, message: messages(asJson.errors) });
        return;
      }
      const annotations = asJson.json.annotations ?? {};
      const id = annotations.id ?? `${baseName(file.name)}:${i + 1}`;
      if (!ID.test(id)) {
        problems.push({ file: file.name, policyId: id, message: `policy id must match ${ID.source}` });
        return;
      }
      if (policies[id] !== undefined) {
        problems.push({
          file: file.name,
          policyId: id,
          message: `duplicate policy id (also in ${fileOf[id]})`,
        });
        return;
      }
      if (annotations.approval !== undefined) {
        if (annotations.approval !== 'required' || asJson.json.effect !== 'forbid') {
          problems.push({
            file: file.name,
            policyId: id,
            message: '@approval("required") is only meaningful on a forbid policy',
          });
          return;
        }
        approvalIds.add(id);
      }
      policies[id] = text;
      fileOf[id] = file.name;
      json.push(asJson.json);
    });
  }
  if (problems.length === 0 && Object.keys(policies).length > 0) {
    const answer = cedar.validate({
      schema: schemaText(),
      policies: { staticPolicies: policies },
      validationSettings: { mode: 'strict' },
    });
    if (answer.type === 'failure') {
      problems.push({ file: null, policyId: null, message: messages(answer.errors) });
    } else {
      for (const e of answer.validationErrors) {
        problems.push({ file: fileOf[e.policyId] ?? null, policyId: e.policyId, message: e.error.message });
      }
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  const hash = createHash('sha256');
  for (const f of files) hash.update(f.name).update('\u0000').update(f.text).update('\u0000');
  const lifted = Object.fromEntries(Object.entries(policies).filter(([id]) => !approvalIds.has(id)));
  return {
    ok: true,
    set: {
      hash: hash.digest('hex'),
      files,
      policies,
      fileOf,
      approvalIds,
      lifted,
      contextUse: contextUseOf(json),
    },
  };
}
