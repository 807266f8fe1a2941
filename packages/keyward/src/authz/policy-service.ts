/**
 * The policy store's service: which Cedar policy set is active, apply and rollback (a new version
 * and its audit event, `policy.applied` / `policy.rolled_back`, in one transaction; the engine
 * switches after commit), history, and the refresh that picks up another replica's change. Until
 * the first apply the built-in default set (cedar/default-policies.cedar) is active, as version 0.
 */
import { readFileSync } from 'node:fs';
import type { AuditRecorder } from '../audit/audit-recorder.js';
import { KeywardError, notFound, validationFailed } from '../errors.js';
import type { PolicyVersion, Store } from '../storage/storage-types.js';
import { DEFAULT_POLICY_FILE } from './cedar-schema.js';
import type { DecisionEngine } from './decision-engine.js';
import { type CompiledPolicySet, compilePolicySet, type PolicyFile } from './policy-set.js';

export interface PolicySetView {
  /** 0 for the built-in default set. */
  version: number;
  hash: string;
  kind: 'builtin' | PolicyVersion['kind'];
  restoredFrom: number | null;
  createdAt: string | null;
  createdBy: string | null;
  reason: string;
  policyIds: string[];
  approvalPolicyIds: string[];
  files: PolicyFile[];
}

export interface PolicyServiceDeps {
  store: Store;
  audit: AuditRecorder;
  engine: Pick<DecisionEngine, 'setPolicySet'>;
  now: () => Date;
  onError: (err: unknown, context: string) => void;
}

export function builtinPolicyFiles(): PolicyFile[] {
  return [{ name: 'default-policies.cedar', text: readFileSync(DEFAULT_POLICY_FILE, 'utf8') }];
}

/** Compiles or throws validation_failed listing every problem. */
export function compileOrThrow(files: PolicyFile[]): CompiledPolicySet {
  const result = compilePolicySet(files);
  if (result.ok) return result.set;
  throw validationFailed(
    `the policy set is invalid: ${result.problems.map((p) => p.message).join('; ')}`,
    result.problems.map((p) => ({
      path: [p.file, p.policyId].filter(Boolean).join('#') || '/files',
      message: p.message,
    })),
  );
}

function view(set: CompiledPolicySet, v: PolicyVersion | undefined): PolicySetView {
  return {
    version: v?.version ?? 0,
    hash: set.hash,
    kind: v?.kind ?? 'builtin',
    restoredFrom: v?.restoredFrom ?? null,
    createdAt: v?.createdAt ?? null,
    createdBy: v?.createdBy ?? null,
    reason: v?.reason ?? 'built-in default policy set',
    policyIds: Object.keys(set.policies),
    approvalPolicyIds: [...set.approvalIds],
    files: set.files,
  };
}

export function createPolicyService(deps: PolicyServiceDeps) {
  let active: { version: PolicyVersion | undefined; set: CompiledPolicySet } | undefined;

  function activate(version: PolicyVersion | undefined, set: CompiledPolicySet): void {
    deps.engine.setPolicySet(set);
    active = { version, set };
  }

  /** Loads the active version (or the default) into the engine. A stored set that no longer compiles denies everything. */
  async function refresh(): Promise<void> {
    const version = await deps.store.policies.active();
    if (active && version?.version === active.version?.version) return;
    const compiled = compilePolicySet(version?.files ?? builtinPolicyFiles());
    if (compiled.ok) return activate(version, compiled.set);
    deps.onError(
      new Error(compiled.problems.map((p) => p.message).join('; ')),
      `policy version ${version?.version ?? 0} does not compile; denying everything`,
    );
    const empty = compilePolicySet([]);
    if (empty.ok) activate(version, empty.set);
  }

  function current() {
    if (!active) throw new TypeError('policy service used before refresh()');
    return active;
  }

  async function commit(
    actor: string,
    set: CompiledPolicySet,
    entry: Pick<PolicyVersion, 'kind' | 'restoredFrom' | 'reason'>,
  ): Promise<PolicySetView> {
    const before = current().version?.version ?? null;
    const type = entry.kind === 'apply' ? 'policy.applied' : 'policy.rolled_back';
    const stored = await deps.store.transaction(async (tx) => {
      const v = await tx.policies.append(
        {
          ...entry,
          hash: set.hash,
          files: set.files,
          replaces: before,
          createdAt: deps.now().toISOString(),
          createdBy: actor,
        },
        before,
      );
      await tx.audit.append(
        deps.audit.event(actor, type, `policy:${v.version}`, {
          version: v.version,
          previous: before ?? 0,
          hash: set.hash,
          reason: entry.reason,
          policyIds: Object.keys(set.policies),
          ...(entry.restoredFrom !== null ? { restoredFrom: entry.restoredFrom } : {}),
        }),
      );
      return v;
    });
    activate(stored, set);
    return view(set, stored);
  }

  return {
    refresh,
    active: (): PolicySetView => view(current().set, current().version),
    activeSet: (): CompiledPolicySet => current().set,

    async apply(actor: string, files: PolicyFile[], reason: string): Promise<PolicySetView> {
      await refresh();
      return commit(actor, compileOrThrow(files), { kind: 'apply', restoredFrom: null, reason });
    },

    /** Makes an earlier version's files active again (as a new version); default: the one the active version replaced. */
    async rollback(actor: string, to: number | undefined, reason: string): Promise<PolicySetView> {
      await refresh();
      const now = current().version;
      const target = to ?? now?.replaces ?? undefined;
      if (target === undefined || target === null) {
        throw new KeywardError('policy_violation', 'there is no earlier policy version to roll back to');
      }
      if (target === now?.version)
        throw new KeywardError('policy_violation', `version ${target} is already active`);
      const files = target === 0 ? builtinPolicyFiles() : (await deps.store.policies.get(target))?.files;
      if (!files) throw notFound('policy version', String(target));
      return commit(actor, compileOrThrow(files), { kind: 'rollback', restoredFrom: target, reason });
    },

    async version(n: number): Promise<PolicySetView> {
      if (n === 0) return view(compileOrThrow(builtinPolicyFiles()), undefined);
      const v = await deps.store.policies.get(n);
      if (!v) throw notFound('policy version', String(n));
      const compiled = compilePolicySet(v.files);
      if (!compiled.ok) throw new KeywardError('internal', `policy version ${n} no longer compiles`);
      return view(compiled.set, v);
    },

    history: (limit: number, before?: number) => deps.store.policies.list(limit, before),
  };
}

export type PolicyService = ReturnType<typeof createPolicyService>;
