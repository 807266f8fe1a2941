/**
 * `keyward policy test`: runs policy test files offline against a compiled set with the real
 * engine. A test file holds entity fixtures (Cedar entity JSON; attributes a fixture leaves out get
 * neutral defaults so fixtures stay short) and cases of request → expected outcome
 * (allow | deny | approval_required). `"approved": true` evaluates a case as retried after its
 * approval was granted. See docs/policies.md for the format.
 */
import type { EntityJson, TypeAndId } from '@cedar-policy/cedar-wasm/nodejs';
import { KeywardError } from '../errors.js';
import { createLocalEvaluator } from './cedar-evaluator.js';
import { type DecisionContext, HISTORY_FIELDS, type HistoryCounts } from './decision-context.js';
import { createDecisionEngine } from './decision-engine.js';
import { type EntitySlice, IDENTITY_ENTITY_TYPES, NS } from './entity-catalog.js';
import type { CompiledPolicySet } from './policy-set.js';

export type Outcome = 'allow' | 'deny' | 'approval_required';
const OUTCOMES: readonly Outcome[] = ['allow', 'deny', 'approval_required'];

export interface PolicyTestResult {
  file: string;
  name: string;
  expected: Outcome;
  actual: Outcome;
  policyIds: string[];
  reason: string;
  pass: boolean;
}

type Json = Record<string, unknown>;
const KIND_OF_TYPE = Object.fromEntries(Object.entries(IDENTITY_ENTITY_TYPES).map(([k, t]) => [t, k]));
const SENSITIVITY_RANK: Record<string, number> = { low: 0, medium: 1, high: 2, critical: 3 };

function parseUid(ref: unknown, where: string): TypeAndId {
  if (typeof ref === 'string') {
    const m = /^(.+)::"(.*)"$/.exec(ref);
    if (m) return { type: m[1]!.includes('::') ? m[1]! : `${NS}::${m[1]}`, id: m[2]! };
  } else if (ref && typeof ref === 'object') {
    const { type, id } = ref as Json;
    if (typeof type === 'string' && typeof id === 'string') {
      return { type: type.includes('::') ? type : `${NS}::${type}`, id };
    }
  }
  throw new KeywardError('validation_failed', `${where}: expected Type::"id" or {type, id}`);
}

function defaultsFor(uid: TypeAndId): Json {
  const type = uid.type.slice(NS.length + 2);
  if (KIND_OF_TYPE[type]) {
    return {
      name: uid.id,
      kind: KIND_OF_TYPE[type],
      environment: '',
      status: 'active',
      owner: '',
      has_owner: false,
      owner_active: false,
      owner_left: false,
      business_system: '',
      origin: 'manual',
    };
  }
  switch (type) {
    case 'Human':
      return { name: uid.id, email: `${uid.id}@example.com`, active: true };
    case 'System':
      return { name: uid.id, sensitivity: 'low', sensitivity_rank: 0, owner: '' };
    case 'Resource':
      return {
        name: uid.id,
        kind: 'database',
        environment: '',
        sensitivity: 'low',
        sensitivity_rank: 0,
        system: '',
      };
    case 'Tool': {
      const slash = uid.id.indexOf('/');
      return {
        name: uid.id.slice(slash + 1),
        server: slash > 0 ? uid.id.slice(0, slash) : '',
        annotations: {},
      };
    }
    case 'Task':
      return { intent: '', environment: '', sponsor: '', agent: '' };
    default:
      return {};
  }
}

function fixture(raw: unknown, where: string): EntityJson {
  const e = (raw ?? {}) as Json;
  const uid = parseUid(e.uid, `${where}.uid`);
  const attrs = { ...defaultsFor(uid), ...((e.attrs as Json | undefined) ?? {}) };
  if (
    typeof attrs.sensitivity === 'string' &&
    (e.attrs as Json | undefined)?.sensitivity_rank === undefined
  ) {
    attrs.sensitivity_rank = SENSITIVITY_RANK[attrs.sensitivity] ?? 0;
  }
  const parents = Array.isArray(e.parents)
    ? e.parents.map((p, i) => parseUid(p, `${where}.parents[${i}]`))
    : [];
  const hasTags = /^(Resource|Agent|ServiceAccount|ApiKey|OAuthApp|Workload|Bot|Certificate|Token)$/.test(
    uid.type.slice(NS.length + 2),
  );
  return {
    uid,
    attrs: attrs as EntityJson['attrs'],
    parents,
    ...(hasTags ? { tags: (e.tags as EntityJson['tags'] | undefined) ?? {} } : {}),
  };
}

const zeroHistory = (): HistoryCounts =>
  Object.fromEntries(HISTORY_FIELDS.map((f) => [f, 0])) as unknown as HistoryCounts;

function contextOf(base: Json, over: Json): DecisionContext {
  const merged: Json = { ...base, ...over };
  const chain = (merged.delegation_chain as string[] | undefined) ?? [];
  const ctx: Json = {
    environment: '',
    source_ip: '',
    user_agent: '',
    subject_type: 'token',
    approval: 'none',
    listing: false,
    ...merged,
    delegation_chain: chain,
    delegation_depth: merged.delegation_depth ?? chain.length,
    time: { hour: 10, weekday: 2, ...(base.time as Json), ...(over.time as Json) },
    history: { ...zeroHistory(), ...(base.history as Json), ...(over.history as Json) },
  };
  // `"task": null` in a case removes the file's default task (a request without one).
  const task = merged.task as Json | null | undefined;
  delete ctx.task;
  if (task) {
    ctx.task = {
      id: 'task-1',
      intent: '',
      scopes: [],
      environment: (ctx.environment as string) || '',
      sponsor: '',
      in_scope: true,
      ...(base.task as Json),
      ...task,
    };
  }
  return ctx as unknown as DecisionContext;
}

function sliceOf(uid: TypeAndId, entities: EntityJson[]): EntitySlice {
  return {
    uid,
    entities,
    id: uid.id,
    names: [uid.id],
    historyClass: uid.type,
    environment: null,
    ownerId: null,
    kind: 'identity',
  };
}

export async function runPolicyTests(
  set: CompiledPolicySet,
  files: ReadonlyArray<{ name: string; json: unknown }>,
): Promise<PolicyTestResult[]> {
  const engine = createDecisionEngine({ evaluator: createLocalEvaluator(), cacheSize: 0 });
  engine.setPolicySet(set);
  const results: PolicyTestResult[] = [];
  for (const file of files) {
    const doc = (file.json ?? {}) as Json;
    if (!Array.isArray(doc.cases))
      throw new KeywardError('validation_failed', `${file.name}: "cases" must be an array`);
    const entities = ((doc.entities as unknown[] | undefined) ?? []).map((e, i) =>
      fixture(e, `${file.name}: entities[${i}]`),
    );
    const baseContext = (doc.context as Json | undefined) ?? {};
    for (const [i, raw] of doc.cases.entries()) {
      const c = raw as Json;
      const where = `${file.name}: cases[${i}]`;
      const expected = c.expect as Outcome;
      if (!OUTCOMES.includes(expected)) {
        throw new KeywardError(
          'validation_failed',
          `${where}: "expect" must be one of ${OUTCOMES.join(', ')}`,
        );
      }
      const action = typeof c.action === 'string' ? c.action.replace(/^.*::"(.*)"$/, '$1') : '';
      const principalUid = parseUid(c.principal, `${where}.principal`);
      const resourceUid = parseUid(c.resource, `${where}.resource`);
      const known = (uid: TypeAndId) => entities.some((e) => JSON.stringify(e.uid) === JSON.stringify(uid));
      // Every fixture travels with the principal; a resource without a fixture gets a default one.
      const extra = known(resourceUid) ? [] : [fixture({ uid: resourceUid }, where)];
      const principal = sliceOf(principalUid, [
        ...entities,
        ...(known(principalUid) ? [] : [fixture({ uid: principalUid }, where)]),
      ]);
      const resource = sliceOf(resourceUid, extra);
      const ctx = contextOf(baseContext, (c.context as Json | undefined) ?? {});
      let decided = await engine.decide(principal, action, resource, ctx, false);
      let actual: Outcome =
        decided.decision === 'allow' ? 'allow' : decided.approvable ? 'approval_required' : 'deny';
      if (actual === 'approval_required' && c.approved === true) {
        decided = await engine.decideApproved(principal, action, resource, ctx);
        actual = decided.decision;
      }
      const expectedPolicies = c.policies as string[] | undefined;
      const policiesMatch =
        !expectedPolicies ||
        [...expectedPolicies].sort().join(',') === [...decided.policyIds].sort().join(',');
      results.push({
        file: file.name,
        name: typeof c.name === 'string' ? c.name : `case ${i + 1}`,
        expected,
        actual,
        policyIds: decided.policyIds,
        reason: decided.reason,
        pass: actual === expected && policiesMatch,
      });
    }
  }
  return results;
}
