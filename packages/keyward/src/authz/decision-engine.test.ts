/**
 * The engine against real cedar-wasm: every Cedar error is a deny (fail closed) with the reason,
 * the approval-lifted forbid is recognised, the cache answers repeats, and history counts are keyed
 * by their class among the policies' thresholds.
 */
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import { describe, expect, it } from 'vitest';
import { createLocalEvaluator } from './cedar-evaluator.js';
import { contextUseOf, historyKey } from './context-use.js';
import { type DecisionContext, HISTORY_FIELDS } from './decision-context.js';
import { createDecisionEngine } from './decision-engine.js';
import { type EntitySlice, toolSlice } from './entity-catalog.js';
import { type CompiledPolicySet, compilePolicySet } from './policy-set.js';

function compile(text: string): CompiledPolicySet {
  const r = compilePolicySet([{ name: 'p.cedar', text }]);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.set;
}

const agent: EntitySlice = {
  uid: { type: 'Keyward::Agent', id: 'a1' },
  entities: [
    {
      uid: { type: 'Keyward::Agent', id: 'a1' },
      attrs: {
        name: 'a1',
        kind: 'agent',
        environment: 'dev',
        status: 'active',
        owner: '',
        has_owner: false,
        owner_active: false,
        owner_left: false,
        business_system: '',
        origin: 'manual',
      },
      parents: [],
      tags: {},
    },
  ],
  id: 'a1',
  names: ['a1'],
  historyClass: 'Agent',
  environment: 'dev',
  ownerId: null,
  kind: 'identity',
};
const tool = toolSlice('fs/write_file', { annotations: { destructiveHint: true } });

function ctx(over: Partial<DecisionContext> = {}): DecisionContext {
  return {
    environment: 'dev',
    time: { hour: 10, weekday: 2 },
    delegation_chain: [],
    delegation_depth: 0,
    source_ip: '',
    user_agent: '',
    subject_type: 'identity',
    approval: 'none',
    listing: false,
    history: Object.fromEntries(HISTORY_FIELDS.map((f) => [f, 0])) as DecisionContext['history'],
    ...over,
  };
}

function engineWith(text: string, cacheSize = 1000) {
  const engine = createDecisionEngine({ evaluator: createLocalEvaluator(), cacheSize });
  engine.setPolicySet(compile(text));
  return engine;
}

describe('decision engine', () => {
  it('denies, with the reason, when a policy errors at run time (a skipped forbid never allows)', async () => {
    const engine = engineWith(`
      @id("all") permit (principal, action, resource);
      @id("overflow") forbid (principal, action, resource) when { context.history.all_10m * 9223372036854775807 > 1 };`);
    expect((await engine.decide(agent, 'call_tool', tool, ctx())).decision).toBe('allow');
    const history = { ...ctx().history, all_10m: 2 };
    const d = await engine.decide(agent, 'call_tool', tool, ctx({ history }));
    expect(d).toMatchObject({ decision: 'deny', approvable: false });
    expect(d.reason).toContain('could not be evaluated');
    expect(d.errors[0]).toContain('overflow');
  });

  it('denies unknown actions, entities that do not fit the schema, and everything under an empty set', async () => {
    const engine = engineWith('@id("all") permit (principal, action, resource);');
    const unknown = await engine.decide(agent, 'launch_missiles', tool, ctx());
    expect(unknown.decision).toBe('deny');
    expect(unknown.errors.join(' ')).toMatch(/launch_missiles/);
    const broken: EntitySlice = { ...agent, entities: [{ ...agent.entities[0]!, attrs: { name: 'a1' } }] };
    const bad = await engine.decide(broken, 'call_tool', tool, ctx());
    expect(bad.decision).toBe('deny');
    expect(bad.errors.length).toBeGreaterThan(0);
    const empty = createDecisionEngine({ evaluator: createLocalEvaluator() });
    const none = compilePolicySet([]);
    if (!none.ok) throw new Error('empty set must compile');
    empty.setPolicySet(none.set);
    expect((await empty.decide(agent, 'call_tool', tool, ctx())).decision).toBe('deny');
  });

  it('marks a deny caused only by @approval forbids as approvable, and lifts it when approved', async () => {
    const engine = engineWith(`
      @id("all") permit (principal, action, resource);
      @id("needs-ok") @approval("required")
      forbid (principal, action == Keyward::Action::"call_tool", resource is Keyward::Tool)
      when { context.arguments.hasTag("path") && context.arguments.getTag("path") like "/prod/*" };
      @id("never-on-sunday") forbid (principal, action, resource) when { context.time.weekday == 0 };`);
    const prod = ctx({ arguments: { path: '/prod/x', mode: { force: true } } });
    const d = await engine.decide(agent, 'call_tool', tool, prod);
    expect(d).toMatchObject({ decision: 'deny', approvable: true, policyIds: ['needs-ok'] });
    expect(await engine.decideApproved(agent, 'call_tool', tool, prod)).toMatchObject({ decision: 'allow' });
    const sunday = await engine.decide(agent, 'call_tool', tool, { ...prod, time: { hour: 10, weekday: 0 } });
    expect(sunday).toMatchObject({ decision: 'deny', approvable: false });
    expect(
      await engine.decide(agent, 'call_tool', tool, ctx({ arguments: { path: '/tmp/x' } })),
    ).toMatchObject({
      decision: 'allow',
    });
  });

  it('answers repeats from the cache, keyed on what the policies read', async () => {
    const engine = engineWith(`
      @id("all") permit (principal, action, resource) unless { context.history.same_class_1m >= 3 };`);
    const at = (n: number) =>
      ctx({ history: { ...ctx().history, same_class_1m: n }, source_ip: `10.0.0.${n}` });
    expect((await engine.decide(agent, 'call_tool', tool, at(0))).cached).toBe(false);
    // Counts 0, 1 and 2 are all "below 3" and the source IP is not read: one entry serves them.
    expect((await engine.decide(agent, 'call_tool', tool, at(1))).cached).toBe(true);
    expect(await engine.decide(agent, 'call_tool', tool, at(2))).toMatchObject({
      decision: 'allow',
      cached: true,
    });
    expect(await engine.decide(agent, 'call_tool', tool, at(3))).toMatchObject({
      decision: 'deny',
      cached: false,
    });
    // 3 itself is its own class (a policy could test `== 3`); 7 and 9 share "above 3".
    expect(await engine.decide(agent, 'call_tool', tool, at(7))).toMatchObject({
      decision: 'deny',
      cached: false,
    });
    expect(await engine.decide(agent, 'call_tool', tool, at(9))).toMatchObject({
      decision: 'deny',
      cached: true,
    });
    engine.invalidate();
    expect((await engine.decide(agent, 'call_tool', tool, at(0))).cached).toBe(false);
    engine.setPolicySet(compile('@id("none") forbid (principal, action, resource);'));
    expect(await engine.decide(agent, 'call_tool', tool, at(0))).toMatchObject({
      decision: 'deny',
      cached: false,
    });
  });

  it('classes history counts by the literals they are compared with; other uses key on the count', () => {
    const use = contextUseOf([
      compileJson(
        'permit (principal, action, resource) when { context.history.all_10m < 5 && 10 >= context.history.all_10m };',
      ),
    ]);
    expect(use.history.get('all_10m')).toEqual([5, 10]);
    const key = (n: number) => historyKey(use, { all_10m: n });
    expect(key(0)).toBe(key(4));
    expect(key(5)).not.toBe(key(4));
    expect(key(6)).toBe(key(9));
    expect(key(10)).not.toBe(key(9));
    expect(key(11)).toBe(key(500));
    const raw = contextUseOf([
      compileJson(
        'permit (principal, action, resource) when { context.history.all_10m + 1 > context.history.denied_10m };',
      ),
    ]);
    expect(raw.history.get('all_10m')).toBe('raw');
    expect(historyKey(raw, { all_10m: 1, denied_10m: 0 })).not.toBe(
      historyKey(raw, { all_10m: 2, denied_10m: 0 }),
    );
    expect(
      contextUseOf([compileJson('permit (principal, action, resource) when { context.listing };')])
        .attributes,
    ).toEqual(new Set(['listing']));
  });
});

/** A policy's JSON form, after checking it against the schema. */
function compileJson(text: string) {
  compile(text);
  const r = cedar.policyToJson(text);
  if (r.type !== 'success') throw new Error('bad policy');
  return r.json;
}
