/**
 * User detection rules (`keyward scan --rules my-rules.yaml`): a JSON or YAML file
 *
 *   rules:
 *     - id: acme-api-key            # kebab-case, unique; a built-in id replaces that rule
 *       description: ACME API key
 *       provider: acme              # default "custom"
 *       severity: high              # low | medium | high | critical, default medium
 *       keywords: [acme_]           # at least one must occur (case-insensitively) for the regex to run
 *       pattern: 'acme_(?<key>[a-z0-9]{32})'
 *       flags: i                    # any of i, m, s, u
 *       secretGroup: key            # the named group holding the secret (default: `secret`, else the match)
 *       minEntropy: 3.5             # bits per character
 *       allow: ['acme_0{32}']       # secrets (or lines) matching these are not findings
 *
 * Every problem is a KeywardError('validation_failed') naming the file and the rule's index/field.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { type FieldError, KeywardError } from '../../errors.js';
import type { ScanSeverity, SecretRule } from './scan-types.js';

const SEVERITIES: readonly ScanSeverity[] = ['low', 'medium', 'high', 'critical'];
const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** `(a+)+`, `(a*)*`, `(a+)*`: the classic catastrophic-backtracking shapes. */
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[+*](?:[^()\\]|\\.)*\)[+*{]/;

type Raw = Record<string, unknown>;

function compile(source: string, flags: string, where: string, errors: FieldError[]): RegExp | undefined {
  try {
    return new RegExp(source, flags);
  } catch (err) {
    errors.push({ path: where, message: `not a valid regular expression: ${(err as Error).message}` });
    return undefined;
  }
}

function parseRule(raw: unknown, i: number, ids: Set<string>, errors: FieldError[]): SecretRule | undefined {
  const at = (field: string) => `/rules/${i}/${field}`;
  const fail = (field: string, message: string) => {
    errors.push({ path: at(field), message });
    return undefined;
  };
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return fail('', 'must be an object');
  const r = raw as Raw;
  const id = r['id'];
  if (typeof id !== 'string' || !KEBAB.test(id)) return fail('id', 'must be a kebab-case string');
  if (ids.has(id)) return fail('id', `duplicate id "${id}"`);
  ids.add(id);
  const description = r['description'] ?? id;
  if (typeof description !== 'string') return fail('description', 'must be a string');
  const provider = r['provider'] ?? 'custom';
  if (typeof provider !== 'string' || provider === '') return fail('provider', 'must be a non-empty string');
  const severity = r['severity'] ?? 'medium';
  if (!SEVERITIES.includes(severity as ScanSeverity))
    return fail('severity', `must be one of ${SEVERITIES.join(', ')}`);
  const keywords = r['keywords'];
  if (
    !Array.isArray(keywords) ||
    keywords.length === 0 ||
    !keywords.every((k) => typeof k === 'string' && k !== '')
  )
    return fail('keywords', 'must be a non-empty list of non-empty strings');
  const flags = r['flags'] ?? '';
  if (typeof flags !== 'string' || !/^[imsu]*$/.test(flags)) return fail('flags', 'may only hold i, m, s, u');
  const rawPattern = r['pattern'];
  if (typeof rawPattern !== 'string' || rawPattern === '')
    return fail('pattern', 'must be a non-empty string');
  let source = rawPattern;
  if (NESTED_QUANTIFIER.test(source))
    return fail('pattern', 'nested quantifiers like (a+)+ can take exponential time');
  const group = r['secretGroup'];
  if (group !== undefined) {
    if (typeof group !== 'string' || !source.includes(`(?<${group}>`))
      return fail('secretGroup', 'must name a named group of the pattern');
    if (group !== 'secret') source = source.replace(`(?<${group}>`, '(?<secret>');
  }
  const pattern = compile(source, flags, at('pattern'), errors);
  const minEntropy = r['minEntropy'];
  if (minEntropy !== undefined && (typeof minEntropy !== 'number' || minEntropy < 0 || minEntropy > 8))
    return fail('minEntropy', 'must be a number of bits per character, 0 to 8');
  const allowRaw = r['allow'] ?? [];
  if (!Array.isArray(allowRaw) || !allowRaw.every((a) => typeof a === 'string'))
    return fail('allow', 'must be a list of regular expressions');
  const allow = (allowRaw as string[]).map((a, j) =>
    compile(a, flags.replace('s', ''), `${at('allow')}/${j}`, errors),
  );
  if (!pattern || allow.some((a) => a === undefined)) return undefined;
  return {
    id,
    description,
    provider,
    severity: severity as ScanSeverity,
    keywords: keywords as string[],
    pattern,
    ...(minEntropy !== undefined ? { minEntropy: minEntropy as number } : {}),
    ...(allow.length > 0 ? { allow: allow as RegExp[] } : {}),
  };
}

/** Reads and validates a rules file; the rules are ready for ScanOptions.rules. */
export async function loadRuleFile(file: string): Promise<SecretRule[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new KeywardError(
      'validation_failed',
      `cannot read the rules file ${file}: ${(err as Error).message}`,
    );
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new KeywardError(
      'validation_failed',
      `${file} is not valid JSON or YAML: ${(err as Error).message}`,
    );
  }
  const rules = (doc as Raw | null)?.['rules'];
  if (!Array.isArray(rules))
    throw new KeywardError('validation_failed', `${file}: expected a "rules" list`, {
      errors: [{ path: '/rules', message: 'must be a list' }],
    });
  const errors: FieldError[] = [];
  const ids = new Set<string>();
  const out = rules.map((r, i) => parseRule(r, i, ids, errors));
  if (errors.length > 0) {
    const first = errors[0]!;
    throw new KeywardError('validation_failed', `${file}: ${first.path}: ${first.message}`, { errors });
  }
  return out as SecretRule[];
}
