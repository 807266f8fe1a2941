/**
 * IAM policy documents in the shapes exports hold them: an object, a JSON string, or a URL-encoded
 * JSON string (as the IAM API returns them); Statement an object or a list; Action, Resource and
 * Principal a string or a list. Normalised once here so the grant and trust readers see one shape.
 */
import type { ImportProblem } from '../../import-batch.js';
import { isRecord, jsonPointer } from '../json-document.js';

export interface Principals {
  /** `"Principal": "*"` or `{"AWS": "*"}`: anyone at all. */
  anyone: boolean;
  aws: string[];
  service: string[];
  federated: string[];
}

export interface Statement {
  index: number;
  sid?: string | undefined;
  effect: 'Allow' | 'Deny';
  actions: string[];
  notActions: string[];
  resources: string[];
  notResources: string[];
  principals?: Principals | undefined;
  notPrincipal: boolean;
  condition?: Record<string, unknown> | undefined;
}

export interface Located {
  file: string;
  path: Array<string | number>;
}

const strings = (value: unknown): string[] =>
  typeof value === 'string'
    ? [value]
    : Array.isArray(value)
      ? value.filter((v): v is string => typeof v === 'string')
      : [];

function principalsOf(value: unknown): Principals | undefined {
  if (value === undefined) return undefined;
  if (value === '*') return { anyone: true, aws: [], service: [], federated: [] };
  if (!isRecord(value)) return { anyone: false, aws: [], service: [], federated: [] };
  const aws = strings(value['AWS']);
  return {
    anyone: aws.includes('*'),
    aws: aws.filter((a) => a !== '*'),
    service: strings(value['Service']),
    federated: strings(value['Federated']),
  };
}

/** A document as an object, decoding a (URL-encoded) JSON string; undefined plus a problem if unreadable. */
export function decodeDocument(
  value: unknown,
  at: Located,
  problems: ImportProblem[],
): Record<string, unknown> | undefined {
  if (isRecord(value)) return value;
  const fail = (reason: string) => {
    problems.push({ file: at.file, path: jsonPointer(at.path), severity: 'error', reason });
    return undefined;
  };
  if (typeof value !== 'string') return fail('policy document is missing or not an object');
  let text = value.trim();
  if (!text.startsWith('{')) {
    try {
      text = decodeURIComponent(text.replaceAll('+', ' '));
    } catch {
      return fail('policy document is neither JSON nor URL-encoded JSON');
    }
  }
  try {
    const parsed: unknown = JSON.parse(text);
    return isRecord(parsed) ? parsed : fail('policy document is not a JSON object');
  } catch (err) {
    return fail(`policy document is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** The statements of a decoded document; a malformed statement is a problem and is skipped. */
export function statementsOf(
  doc: Record<string, unknown>,
  at: Located,
  problems: ImportProblem[],
): Statement[] {
  const raw = doc['Statement'];
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  const out: Statement[] = [];
  list.forEach((s, index) => {
    const path = jsonPointer([...at.path, 'Statement', ...(Array.isArray(raw) ? [index] : [])]);
    const effect = isRecord(s) ? s['Effect'] : undefined;
    if (!isRecord(s) || (effect !== 'Allow' && effect !== 'Deny')) {
      problems.push({
        file: at.file,
        path,
        severity: 'error',
        reason: 'policy statement skipped: it needs an Effect of Allow or Deny',
      });
      return;
    }
    out.push({
      index,
      sid: typeof s['Sid'] === 'string' && s['Sid'] !== '' ? s['Sid'] : undefined,
      effect,
      actions: strings(s['Action']),
      notActions: strings(s['NotAction']),
      resources: strings(s['Resource']),
      notResources: strings(s['NotResource']),
      principals: principalsOf(s['Principal'] ?? s['NotPrincipal']),
      notPrincipal: s['NotPrincipal'] !== undefined,
      condition: isRecord(s['Condition']) ? s['Condition'] : undefined,
    });
  });
  return out;
}

/** A Deny (or otherwise not-granted) statement as kept in the principal's details. */
export function statementSummary(policy: string, s: Statement): Record<string, unknown> {
  return {
    policy,
    ...(s.sid ? { sid: s.sid } : {}),
    effect: s.effect,
    ...(s.actions.length ? { actions: s.actions } : {}),
    ...(s.notActions.length ? { notAction: s.notActions } : {}),
    ...(s.resources.length ? { resources: s.resources } : {}),
    ...(s.notResources.length ? { notResource: s.notResources } : {}),
    ...(s.condition ? { conditions: s.condition } : {}),
  };
}
