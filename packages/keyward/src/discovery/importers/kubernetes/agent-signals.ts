/**
 * Whether a workload looks like an AI agent: its containers talk to an LLM provider (a provider's
 * key or endpoint in their environment), run an agent framework's or model server's image, or its
 * metadata says so. Each signal is a human-readable reason. Environment *values* are never quoted
 * in a reason (they can hold secrets): a value only counts when it names a provider's API host, and
 * the reason names the host.
 */
import { isRecord, stringField } from '../json-document.js';

/** Environment variable names of LLM providers and agent tooling. */
const PROVIDER_ENV =
  /^(OPENAI_|AZURE_OPENAI_|ANTHROPIC_|CLAUDE_API|HF_TOKEN$|HF_API|HUGGING_?FACE|GOOGLE_API_KEY$|GEMINI_|VERTEX_AI|(AWS_)?BEDROCK|COHERE_|MISTRAL_|GROQ_|TOGETHER_API|REPLICATE_API|PERPLEXITY_|DEEPSEEK_|XAI_API_KEY$|OPENROUTER_|LANGCHAIN_|LANGSMITH_|LANGGRAPH_|OLLAMA_|LITELLM_)/i;

/** Provider API hosts; a value naming one is a signal (the reason names the host only). */
const PROVIDER_HOSTS = [
  'api.openai.com',
  'openai.azure.com',
  'api.anthropic.com',
  'generativelanguage.googleapis.com',
  'aiplatform.googleapis.com',
  'bedrock-runtime',
  'api.cohere.ai',
  'api.cohere.com',
  'api.mistral.ai',
  'api.groq.com',
  'api.together.xyz',
  'openrouter.ai',
  'api-inference.huggingface.co',
  'api.deepseek.com',
  'api.x.ai',
];

/** Images of agent frameworks, LLM gateways and model servers. */
const AGENT_IMAGE =
  /(^|[/_.-])(langchain|langgraph|langserve|crewai|autogen|llama[-_]?index|llamaindex|ollama|vllm|text-generation-inference|litellm|open-webui|haystack|semantic-kernel|flowise|dify)([/:_.-]|$)|(^|\/)openai\//i;

/** Secret names or keys that say what they hold (`openai-api-key`, `anthropic`). */
const PROVIDER_WORD =
  /(openai|anthropic|claude|gemini|huggingface|hf[-_]token|bedrock|mistral|cohere|groq|langsmith|langchain)/i;

const AGENT_COMPONENTS = new Set(['agent', 'ai-agent', 'llm-agent']);

/** Signals of the object's own metadata: `app.kubernetes.io/component=agent`, `keyward.io/agent`. */
export function metadataSignals(
  labels: Record<string, string>,
  annotations: Record<string, string>,
): string[] {
  const out: string[] = [];
  const component = labels['app.kubernetes.io/component'];
  if (component && AGENT_COMPONENTS.has(component.toLowerCase()))
    out.push(`label app.kubernetes.io/component=${component}`);
  for (const [where, map] of [
    ['label', labels],
    ['annotation', annotations],
  ] as const) {
    const v = map['keyward.io/agent'];
    if (v !== undefined && !/^(false|no|0)$/i.test(v.trim())) out.push(`${where} keyward.io/agent`);
  }
  return out;
}

function envSignals(container: Record<string, unknown>, name: string): string[] {
  const out: string[] = [];
  for (const env of Array.isArray(container['env']) ? container['env'] : []) {
    if (!isRecord(env)) continue;
    const envName = stringField(env, 'name');
    if (!envName) continue;
    if (PROVIDER_ENV.test(envName)) {
      out.push(`env ${envName} in container ${name}`);
      continue;
    }
    const value = stringField(env, 'value');
    const host = value ? PROVIDER_HOSTS.find((h) => value.toLowerCase().includes(h)) : undefined;
    if (host) {
      out.push(`env ${envName} in container ${name} names ${host}`);
      continue;
    }
    const ref = isRecord(env['valueFrom']) ? env['valueFrom']['secretKeyRef'] : undefined;
    if (isRecord(ref)) {
      const secret = `${stringField(ref, 'name') ?? ''}/${stringField(ref, 'key') ?? ''}`;
      if (PROVIDER_WORD.test(secret)) out.push(`env ${envName} in container ${name} from secret ${secret}`);
    }
  }
  for (const from of Array.isArray(container['envFrom']) ? container['envFrom'] : []) {
    if (!isRecord(from)) continue;
    for (const refKind of ['secretRef', 'configMapRef'] as const) {
      const ref = from[refKind];
      const refName = isRecord(ref) ? stringField(ref, 'name') : undefined;
      if (refName && PROVIDER_WORD.test(refName)) {
        out.push(
          `envFrom ${refKind === 'secretRef' ? 'secret' : 'configmap'} ${refName} in container ${name}`,
        );
      }
    }
  }
  return out;
}

/** The containers of a pod spec (init and ephemeral ones included), as records. */
export function containersOf(podSpec: Record<string, unknown>): Array<Record<string, unknown>> {
  return ['initContainers', 'containers', 'ephemeralContainers'].flatMap((key) => {
    const list = podSpec[key];
    return Array.isArray(list) ? list.filter(isRecord) : [];
  });
}

/** Signals of a pod spec's containers: provider env, provider hosts, agent images. */
export function podSignals(podSpec: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const container of containersOf(podSpec)) {
    const name = stringField(container, 'name') ?? '(unnamed)';
    const image = stringField(container, 'image');
    if (image && AGENT_IMAGE.test(image.split('@')[0] ?? image)) out.push(`image ${image}`);
    out.push(...envSignals(container, name));
  }
  return [...new Set(out)];
}
