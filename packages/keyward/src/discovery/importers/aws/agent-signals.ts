/**
 * Why an IAM principal may be an AI agent: it may call a model (Bedrock, a SageMaker endpoint), its
 * name or tags say so (`support-agent`, `llm-runner`, `team=openai-pilot`), or Bedrock may assume
 * it (a Bedrock agent's service role). Each signal is a reason a reviewer can read; none of them
 * alone makes the identity an agent (a tag saying so does, see identity-tags.ts).
 */
const MODEL_ACTIONS = [
  /^bedrock:(\*|invokemodel.*|invokeagent.*|converse.*)$/i,
  /^sagemaker:invokeendpoint.*$/i,
];
const AGENT_WORDS =
  /(?<![a-z])(agent|llm|gpt|openai|anthropic|claude|bedrock|langchain|crewai|autogen)s?(?![a-z])/i;
const AGENT_SERVICES = ['bedrock.amazonaws.com'];

/** Signals from the actions a principal is allowed (`via` names the group a grant came through). */
export function actionSignals(actions: readonly string[], via?: string): string[] {
  const hits = [...new Set(actions.filter((a) => MODEL_ACTIONS.some((r) => r.test(a))))].sort();
  return hits.map((a) => `may call a model: ${a}${via ? ` (via ${via})` : ''}`);
}

/** Signals from a principal's name and tags. */
export function nameSignals(name: string, tags: Record<string, string>): string[] {
  const out: string[] = [];
  // camelCase names (`SupportAgentRole`) split at their humps so words inside them count.
  const inName = AGENT_WORDS.exec(name.replace(/([a-z0-9])([A-Z])/g, '$1-$2'));
  if (inName) out.push(`name mentions "${inName[1]?.toLowerCase()}"`);
  for (const [k, v] of Object.entries(tags)) {
    const hit = AGENT_WORDS.exec(k) ?? AGENT_WORDS.exec(v);
    if (hit) out.push(`tag ${k}=${v} mentions "${hit[1]?.toLowerCase()}"`);
  }
  return out;
}

/** Signals from a role's trust: an AI service may assume it. */
export function trustSignals(services: readonly string[]): string[] {
  return services.filter((s) => AGENT_SERVICES.includes(s)).map((s) => `assumable by ${s}`);
}
