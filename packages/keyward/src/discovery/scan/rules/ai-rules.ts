/**
 * AI providers: OpenAI (project, service-account, admin and legacy keys, the latter marked by
 * "T3BlbkFJ", base64 of "OpenAI"), Anthropic, Hugging Face, Groq, Replicate, Perplexity, xAI.
 * Gemini keys share Google's AIza format and live in cloud-rules.ts.
 */
import { type BuiltinRule, rule } from '../rule-kit.js';

const b = (body: string) => new RegExp(`(?<![\\w-])${body}(?![\\w-])`, 'g');
const at = { anchored: true };
const lastEight = (secret: string) => ({ identifiers: { lastEight: secret.slice(-8) } });

export const aiRules: BuiltinRule[] = [
  rule(
    'openai-api-key',
    'openai',
    'high',
    'OpenAI API key',
    ['sk-proj-', 'sk-svcacct-', 'sk-admin-', 'sk-none-'],
    b('sk-(?:proj|svcacct|admin|None)-[A-Za-z0-9_-]{40,300}'),
    { anchored: true, check: lastEight },
  ),
  rule(
    'openai-api-key',
    'openai',
    'high',
    'OpenAI API key (legacy format)',
    ['t3blbkfj'],
    b('sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}'),
    { check: lastEight },
  ),
  rule(
    'anthropic-api-key',
    'anthropic',
    'high',
    'Anthropic API or admin key',
    ['sk-ant-'],
    b('sk-ant-(?:api|admin|oat|sid)\\d{2}-[A-Za-z0-9_-]{80,120}'),
    { anchored: true, check: lastEight },
  ),
  rule(
    'huggingface-token',
    'huggingface',
    'high',
    'Hugging Face access token',
    ['hf_', 'api_org_'],
    b('(?:hf|api_org)_[A-Za-z]{34}'),
    at,
  ),
  rule('groq-api-key', 'groq', 'high', 'Groq API key', ['gsk_'], b('gsk_[A-Za-z0-9]{52}'), at),
  rule('replicate-token', 'replicate', 'high', 'Replicate API token', ['r8_'], b('r8_[A-Za-z0-9]{37}'), at),
  rule(
    'perplexity-api-key',
    'perplexity',
    'high',
    'Perplexity API key',
    ['pplx-'],
    b('pplx-[A-Za-z0-9]{48}'),
    at,
  ),
  rule('xai-api-key', 'xai', 'high', 'xAI API key', ['xai-'], b('xai-[A-Za-z0-9]{80}'), at),
];
