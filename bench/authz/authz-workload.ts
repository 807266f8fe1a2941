/**
 * The authz benchmark's shared workload: one policy set (the example policies plus generated
 * per-team, per-system and per-tool rules: ≥ 50 policies in all), one estate (agents in teams,
 * resources in systems, MCP tools) and one request mix, so raw cedar-wasm, the engine, casbin and
 * HTTP all answer the same questions. The mix is Zipf-distributed over a fixed set of distinct
 * requests: a few agents' few calls dominate, as they do in practice.
 */
import { readPolicyFiles } from '../../packages/keyward/src/authz/policy-files.js';
import type { PolicyFile } from '../../packages/keyward/src/authz/policy-set.js';

export const TEAMS = ['payments', 'ledger', 'search', 'growth', 'platform', 'data', 'risk', 'support'];
export const SERVERS = ['fs', 'github', 'jira', 'slack', 'postgres'];
export const TOOLS_PER_SERVER = 6;

export interface Agent {
  name: string;
  team: string;
  environment: string;
}
export interface BenchResource {
  name: string;
  team: string;
  environment: string;
  kind: string;
  sensitivity: 'low' | 'medium' | 'high' | 'critical';
}
export interface BenchTool {
  server: string;
  name: string;
  readOnly: boolean;
}
export interface BenchRequest {
  agent: Agent;
  action: string;
  resource: { type: 'resource'; item: BenchResource } | { type: 'tool'; item: BenchTool };
  arguments?: Record<string, unknown>;
}

/** Deterministic PRNG (mulberry32): every run and every contender gets the same mix. */
export function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generatedPolicies(): PolicyFile {
  const lines: string[] = [];
  for (const team of TEAMS) {
    lines.push(
      `@id("team-${team}-reads")
permit (principal is Keyward::Agent, action in Keyward::Action::"reads", resource is Keyward::Resource)
when { principal.hasTag("team") && principal.getTag("team") == "${team}" && resource.hasTag("team") && resource.getTag("team") == "${team}" };`,
      `@id("team-${team}-staging-writes")
permit (principal is Keyward::Agent, action in Keyward::Action::"writes", resource is Keyward::Resource)
when { principal.hasTag("team") && principal.getTag("team") == "${team}" && resource.hasTag("team") && resource.getTag("team") == "${team}" && resource.environment == "staging" };`,
      `@id("team-${team}-no-critical-deletes")
forbid (principal is Keyward::Agent, action == Keyward::Action::"delete", resource is Keyward::Resource)
when { principal.hasTag("team") && principal.getTag("team") == "${team}" && resource.sensitivity_rank >= 3 };`,
    );
  }
  for (const server of SERVERS) {
    lines.push(
      `@id("tools-${server}-agents")
permit (principal is Keyward::Agent, action == Keyward::Action::"call_tool", resource is Keyward::Tool)
when { resource.server == "${server}" && principal.status == "active" };`,
      `@id("tools-${server}-destructive-staging-only")
forbid (principal, action == Keyward::Action::"call_tool", resource is Keyward::Tool)
when { resource.server == "${server}" && resource.annotations has destructiveHint && resource.annotations.destructiveHint && context.environment == "prod" && context.delegation_depth > 1 };`,
    );
  }
  for (const kind of ['database', 'bucket', 'queue', 'secret_store']) {
    lines.push(
      `@id("kind-${kind}-no-high-from-dev")
forbid (principal, action, resource is Keyward::Resource)
when { resource.kind == "${kind}" && resource.sensitivity_rank >= 2 && principal has environment && principal.environment == "dev" && !(context has task) };`,
    );
  }
  lines.push(
    `@id("secrets-need-labels") forbid (principal, action in Keyward::Action::"reads", resource is Keyward::Resource)
when { resource.kind == "secret_store" && !(principal.hasTag("team")) };`,
    `@id("night-deletes") forbid (principal, action == Keyward::Action::"delete", resource) when { context.time.hour < 6 };`,
  );
  return { name: 'generated.cedar', text: lines.join('\n\n') };
}

/** The example policies (examples/policies) plus the generated ones. */
export function benchPolicyFiles(): PolicyFile[] {
  const examples = readPolicyFiles([new URL('../../examples/policies', import.meta.url).pathname]);
  return [...examples, generatedPolicies()];
}

export function estate(seed = 7) {
  const rnd = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const agents: Agent[] = Array.from({ length: 120 }, (_, i) => ({
    name: `agent-${i}`,
    team: TEAMS[i % TEAMS.length]!,
    environment: i % 3 === 0 ? 'staging' : 'dev',
  }));
  const resources: BenchResource[] = Array.from({ length: 300 }, (_, i) => ({
    name: `res-${i}`,
    team: TEAMS[i % TEAMS.length]!,
    environment: pick(['dev', 'staging', 'dev']),
    kind: pick(['database', 'bucket', 'queue', 'secret_store', 'api']),
    sensitivity: pick(['low', 'medium', 'high', 'critical'] as const),
  }));
  const tools: BenchTool[] = SERVERS.flatMap((server) =>
    Array.from({ length: TOOLS_PER_SERVER }, (_, i) => ({
      server,
      name: `tool_${i}`,
      readOnly: i % 2 === 0,
    })),
  );
  return { agents, resources, tools };
}

/** `distinct` distinct requests, then a Zipf(1) stream of `length` over them. */
export function requestMix(e: ReturnType<typeof estate>, distinct: number, length: number, seed = 11) {
  const rnd = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const unique: BenchRequest[] = [];
  for (let i = 0; i < distinct; i++) {
    const agent = pick(e.agents);
    if (rnd() < 0.4) {
      const tool = pick(e.tools);
      unique.push({
        agent,
        action: 'call_tool',
        resource: { type: 'tool', item: tool },
        arguments: { path: `/${agent.environment}/${agent.team}/file-${i % 17}.txt`, limit: 10 },
      });
    } else {
      const sameTeam = e.resources.filter((r) => r.team === agent.team);
      const resource = rnd() < 0.8 ? pick(sameTeam) : pick(e.resources);
      unique.push({
        agent,
        action: pick(['read', 'read', 'list', 'write', 'delete']),
        resource: { type: 'resource', item: resource },
      });
    }
  }
  const weights = unique.map((_, i) => 1 / (i + 1));
  const total = weights.reduce((a, b) => a + b, 0);
  const cumulative: number[] = [];
  let acc = 0;
  for (const w of weights) {
    acc += w / total;
    cumulative.push(acc);
  }
  const stream: BenchRequest[] = [];
  for (let i = 0; i < length; i++) {
    const x = rnd();
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    stream.push(unique[lo]!);
  }
  return { unique, stream };
}
