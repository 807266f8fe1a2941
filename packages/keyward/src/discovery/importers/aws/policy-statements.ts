/**
 * Allow statements as has_permission edges: one edge from the principal (a user, a role, or a group
 * resource) to each Resource pattern, the pattern itself being the resource's external id, so every
 * statement naming `arn:aws:s3:::invoices/*` reaches the same node. Deny statements narrow a grant
 * but are not reach: they are kept in the principal's details. NotAction/NotResource grant all but
 * what they name, so they are recorded as `*` with the exclusions in the edge's details.
 */
import type { FoundIn } from '../../import-batch.js';
import { hasWildcard, patternName, resourceKindOf, sensitivityOf } from './aws-arn.js';
import type { BatchBuilder } from './batch-builder.js';
import { type Statement, statementSummary } from './policy-document.js';

export interface PolicyRef {
  name: string;
  arn?: string | undefined;
}

export interface GrantOutcome {
  /** Every action an Allow statement grants (as spelled), for agent signals. */
  allowed: string[];
  /** Deny statements (and Allow statements granting nothing readable), for the principal's details. */
  denies: Record<string, unknown>[];
}

/** The resource a pattern names, added to the batch (kind and sensitivity by its service). */
export function addPatternResource(b: BatchBuilder, pattern: string, foundIn: FoundIn): void {
  b.resource({
    externalId: pattern,
    name: patternName(pattern, b.account),
    kind: resourceKindOf(pattern),
    sensitivity: sensitivityOf(pattern),
    foundIn,
    ...(pattern === '*' ? { details: { scope: `every resource of account ${b.account}` } } : {}),
  });
}

export function addGrants(
  b: BatchBuilder,
  from: string,
  policy: PolicyRef,
  statements: readonly Statement[],
  foundIn: FoundIn,
): GrantOutcome {
  const out: GrantOutcome = { allowed: [], denies: [] };
  for (const s of statements) {
    if (s.effect === 'Deny') {
      out.denies.push(statementSummary(policy.name, s));
      continue;
    }
    const actions = s.notActions.length > 0 ? ['*'] : s.actions;
    const patterns = s.notResources.length > 0 ? ['*'] : s.resources;
    if (actions.length === 0 || patterns.length === 0) {
      b.problem({
        file: foundIn.file,
        path: `${foundIn.path ?? ''}/Statement${s.index > 0 ? `/${s.index}` : ''}`,
        severity: 'warning',
        reason: `statement ${s.sid ?? s.index} of ${policy.name} names no ${actions.length === 0 ? 'Action' : 'Resource'}; it grants nothing`,
      });
      continue;
    }
    out.allowed.push(...s.actions);
    const wildActions = actions.some(hasWildcard);
    for (const pattern of patterns) {
      addPatternResource(b, pattern, foundIn);
      b.edge({
        kind: 'has_permission',
        from,
        to: pattern,
        actions,
        foundIn,
        details: {
          policy: policy.name,
          ...(policy.arn ? { policyArn: policy.arn } : {}),
          ...(s.sid ? { sid: s.sid } : {}),
          ...(s.condition ? { conditions: s.condition } : {}),
          ...(s.notActions.length > 0 ? { notAction: s.notActions } : {}),
          ...(s.notResources.length > 0 ? { notResource: s.notResources } : {}),
          wildcard: wildActions || hasWildcard(pattern),
        },
      });
    }
  }
  return out;
}

/**
 * A managed policy the export does not contain (an AWS-managed one left out by `--filter`): its
 * statements are unknown, so the principal is recorded as holding the policy itself on `*`, flagged,
 * rather than silently holding nothing.
 */
export function addUnresolvedPolicy(
  b: BatchBuilder,
  from: string,
  policy: PolicyRef,
  foundIn: FoundIn,
): void {
  addPatternResource(b, '*', foundIn);
  b.edge({
    kind: 'has_permission',
    from,
    to: '*',
    actions: [`policy:${policy.name}`],
    foundIn,
    details: {
      policy: policy.name,
      ...(policy.arn ? { policyArn: policy.arn } : {}),
      unresolvedPolicy: true,
      wildcard: true,
    },
  });
}
