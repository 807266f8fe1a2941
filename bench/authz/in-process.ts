/**
 * The in-process contenders of the authz bench, over the same policy set and request stream:
 * raw cedar-wasm `statefulIsAuthorized` (requests prebuilt once), Keyward's engine without and with
 * its decision cache (each request: history counts, context, engine decision, counters fed — what
 * the authorize service does around Cedar), and casbin on the RBAC subset (team reads, tool access).
 */
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import type { Identity, Resource } from '@keyward/sdk';
import { newEnforcer, newModelFromString } from 'casbin';
import { createLocalEvaluator } from '../../packages/keyward/src/authz/cedar-evaluator.js';
import { SCHEMA_NAME } from '../../packages/keyward/src/authz/cedar-schema.js';
import {
  createClock,
  decisionContext,
  historyCounts,
  historyKeys,
} from '../../packages/keyward/src/authz/decision-context.js';
import { cedarRequest, createDecisionEngine } from '../../packages/keyward/src/authz/decision-engine.js';
import {
  type EntitySlice,
  identitySlice,
  resourceSlice,
  toolSlice,
} from '../../packages/keyward/src/authz/entity-catalog.js';
import { createHistoryCounters } from '../../packages/keyward/src/authz/history-counters.js';
import type { CompiledPolicySet } from '../../packages/keyward/src/authz/policy-set.js';
import type { BenchRequest, estate } from './authz-workload.js';

export interface Sliced {
  request: BenchRequest;
  principal: EntitySlice;
  resource: EntitySlice;
}

/** Entity slices built by the engine's own builders from inventory-shaped records. */
export function sliceAll(requests: readonly BenchRequest[]): Sliced[] {
  const cache = new Map<string, EntitySlice>();
  const once = (key: string, make: () => EntitySlice) => {
    let s = cache.get(key);
    if (!s) {
      s = make();
      cache.set(key, s);
    }
    return s;
  };
  return requests.map((request) => {
    const a = request.agent;
    const principal = once(`a:${a.name}`, () =>
      identitySlice(
        {
          id: `id-${a.name}`,
          name: a.name,
          kind: 'agent',
          ownerId: null,
          environment: a.environment,
          businessSystem: null,
          origin: 'manual',
          status: 'active',
          labels: { team: a.team },
        } as unknown as Identity,
        undefined,
      ),
    );
    const r = request.resource;
    const resource =
      r.type === 'tool'
        ? once(`t:${r.item.server}/${r.item.name}`, () =>
            toolSlice(`${r.item.server}/${r.item.name}`, {
              server: r.item.server,
              name: r.item.name,
              annotations: r.item.readOnly ? { readOnlyHint: true } : { destructiveHint: true },
            }),
          )
        : once(`r:${r.item.name}`, () =>
            resourceSlice(
              {
                id: `id-${r.item.name}`,
                name: r.item.name,
                kind: r.item.kind,
                systemId: null,
                environment: r.item.environment,
                sensitivity: r.item.sensitivity,
                labels: { team: r.item.team },
              } as unknown as Resource,
              undefined,
            ),
          );
    return { request, principal, resource };
  });
}

/** Decisions per second of `decide` over the stream for about `ms` milliseconds. */
export async function perSecond(
  stream: readonly Sliced[],
  ms: number,
  decide: (s: Sliced) => unknown,
): Promise<number> {
  let n = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < 500; i++) {
      const r = decide(stream[n % stream.length]!);
      if (r instanceof Promise) await r;
      n++;
    }
    now = performance.now();
  }
  return (n / (now - start)) * 1000;
}

const facts = (s: Sliced) => ({
  environment: s.request.agent.environment,
  task: null,
  delegationChain: [],
  sourceIp: '10.0.0.1',
  userAgent: 'bench',
  subjectType: 'identity' as const,
  listing: false,
  arguments: s.request.arguments,
});

export function contenders(set: CompiledPolicySet) {
  const evaluator = createLocalEvaluator();
  const clock = createClock('UTC');
  const engine = (cacheSize: number) => {
    const e = createDecisionEngine({ evaluator, cacheSize });
    e.setPolicySet(set);
    const counters = createHistoryCounters();
    return (s: Sliced) => {
      const now = new Date();
      const at = now.getTime();
      const keys = historyKeys(s.principal, s.request.action, s.resource);
      const ctx = decisionContext(facts(s), clock(now), historyCounts(counters, keys, at));
      return e.decide(s.principal, s.request.action, s.resource, ctx).then((d) => {
        if (d.decision === 'allow') {
          counters.add(keys.sameClass, at);
          counters.add(keys.sameResource, at);
          counters.add(keys.all, at);
        } else counters.add(keys.denied, at);
        return d;
      });
    };
  };
  /** Raw cedar-wasm: the same requests, built once up front (zero history). */
  const raw = (sliced: readonly Sliced[]) => {
    const zero = createHistoryCounters();
    const built = new Map<Sliced, cedar.StatefulAuthorizationCall>();
    for (const s of sliced) {
      if (built.has(s)) continue;
      const ctx = decisionContext(
        facts(s),
        clock(new Date()),
        historyCounts(zero, historyKeys(s.principal, s.request.action, s.resource), 0),
      );
      built.set(s, {
        ...cedarRequest(s.principal, s.request.action, s.resource, ctx),
        preparsedPolicySetId: set.hash,
        preparsedSchemaName: SCHEMA_NAME,
        validateRequest: true,
      });
    }
    return (s: Sliced) => cedar.statefulIsAuthorized(built.get(s)!);
  };
  evaluator.load(set.hash, set.policies);
  return { raw, uncached: engine(0), cached: engine(100_000) };
}

const CASBIN_MODEL = `
[request_definition]
r = sub, obj, act
[policy_definition]
p = sub, obj, act
[role_definition]
g = _, _
g2 = _, _
[policy_effect]
e = some(where (p.eft == allow))
[matchers]
m = g(r.sub, p.sub) && g2(r.obj, p.obj) && r.act == p.act
`;

/** Casbin on the RBAC subset: agents in team roles read their team's resources; agents call tools. */
export async function casbinDecider(e: ReturnType<typeof estate>) {
  const enforcer = await newEnforcer(newModelFromString(CASBIN_MODEL));
  for (const a of e.agents) {
    await enforcer.addGroupingPolicy(a.name, `team:${a.team}`);
    await enforcer.addGroupingPolicy(a.name, 'agents');
  }
  for (const r of e.resources) await enforcer.addNamedGroupingPolicy('g2', r.name, `res:${r.team}`);
  for (const t of e.tools)
    await enforcer.addNamedGroupingPolicy('g2', `${t.server}/${t.name}`, `server:${t.server}`);
  for (const team of new Set(e.agents.map((a) => a.team))) {
    for (const act of ['read', 'list']) await enforcer.addPolicy(`team:${team}`, `res:${team}`, act);
  }
  for (const server of new Set(e.tools.map((t) => t.server))) {
    await enforcer.addPolicy('agents', `server:${server}`, 'call_tool');
  }
  return (s: Sliced) => {
    const r = s.request.resource;
    const obj = r.type === 'tool' ? `${r.item.server}/${r.item.name}` : r.item.name;
    return enforcer.enforceSync(s.request.agent.name, obj, s.request.action);
  };
}
