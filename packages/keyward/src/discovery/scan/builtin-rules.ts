/**
 * The built-in rule set, in the order rules run: precise provider formats first, the generic
 * keyword rule last. User rules (ScanOptions.rules) are appended, replacing a built-in of the same id.
 */
import type { BuiltinRule } from './rule-kit.js';
import { aiRules } from './rules/ai-rules.js';
import { cloudRules } from './rules/cloud-rules.js';
import { databaseRules } from './rules/database-rules.js';
import { devRules } from './rules/dev-rules.js';
import { genericRule } from './rules/generic-rule.js';
import { keyRules } from './rules/key-rules.js';
import { saasRules } from './rules/saas-rules.js';
import type { SecretRule } from './scan-types.js';

export const BUILTIN_RULES: readonly BuiltinRule[] = [
  ...cloudRules,
  ...devRules,
  ...saasRules,
  ...aiRules,
  ...keyRules,
  ...databaseRules,
  genericRule,
];

/** The built-ins with `extra` appended; an extra rule with a built-in's id takes its place. */
export function withUserRules(extra: readonly SecretRule[] = []): BuiltinRule[] {
  const ids = new Set(extra.map((r) => r.id));
  return [...BUILTIN_RULES.filter((r) => !ids.has(r.id)), ...extra];
}
