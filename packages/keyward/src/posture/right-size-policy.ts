/**
 * The right-sized policy as text: Cedar for Keyward's own decisions (one permit per used resource,
 * principal == the identity's entity, as entity-catalog.ts names entities) and an IAM policy
 * document for AWS-imported roles and users (one Allow statement per resource pattern). Both list
 * only what was used, sorted, so the same use always yields the same text.
 */
import type { IdentityKind, NodeType } from '@keyward/sdk';
import { IDENTITY_ENTITY_TYPES, NS } from '../authz/entity-catalog.js';

/** One resource and the actions used on it. */
export interface PolicyTarget {
  /** Keyward id (Cedar) of the node. */
  id: string;
  type: NodeType | 'tool';
  /** For an identity node: its kind (its Cedar entity type). */
  identityKind?: IdentityKind | undefined;
  /** The AWS ARN (pattern) of the resource, when imported from AWS. */
  arn?: string | undefined;
  name: string;
  actions: string[];
}

/** A Cedar string literal: JSON's escaping is a subset of Cedar's. */
const lit = (s: string) => JSON.stringify(s);

function entityType(t: PolicyTarget): string {
  if (t.type === 'resource') return `${NS}::Resource`;
  if (t.type === 'system') return `${NS}::System`;
  if (t.type === 'tool') return `${NS}::Tool`;
  return `${NS}::${IDENTITY_ENTITY_TYPES[t.identityKind ?? 'service_account']}`;
}

export function cedarPolicy(
  principal: { id: string; kind: IdentityKind; name: string },
  targets: readonly PolicyTarget[],
  windowDays: number,
): string {
  const who = `${NS}::${IDENTITY_ENTITY_TYPES[principal.kind]}::${lit(principal.id)}`;
  const header = `// Right-sized policy for ${principal.name.replace(/\s+/g, ' ')}: only what it used in the last ${windowDays} days.\n`;
  if (targets.length === 0) return `${header}// Nothing was used: no permit (Cedar denies by default).\n`;
  const slug =
    principal.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || principal.id;
  const blocks = targets.map((t, i) => {
    const actions = [...t.actions].sort().map((a) => `${NS}::Action::${lit(a)}`);
    const action = actions.length === 1 ? `action == ${actions[0]}` : `action in [${actions.join(', ')}]`;
    return [
      `// ${t.name.replace(/\s+/g, ' ')}`,
      `@id(${lit(`right-size-${slug}-${i + 1}`)})`,
      'permit (',
      `  principal == ${who},`,
      `  ${action},`,
      `  resource == ${entityType(t)}::${lit(t.id)}`,
      ');',
    ].join('\n');
  });
  return `${header}${blocks.join('\n\n')}\n`;
}

export interface IamPolicy {
  Version: '2012-10-17';
  Statement: Array<{ Sid: string; Effect: 'Allow'; Action: string[]; Resource: string[] }>;
}

/** Statements group resources granted the same used actions; targets without an ARN are left out. */
export function iamPolicy(targets: readonly PolicyTarget[]): IamPolicy {
  const byActions = new Map<string, { actions: string[]; resources: Set<string> }>();
  for (const t of targets) {
    if (!t.arn || t.actions.length === 0) continue;
    const actions = [...new Set(t.actions)].sort();
    const key = actions.join('\u0000');
    const group = byActions.get(key) ?? { actions, resources: new Set<string>() };
    group.resources.add(t.arn);
    byActions.set(key, group);
  }
  const groups = [...byActions.values()].sort((a, b) => a.actions.join().localeCompare(b.actions.join()));
  return {
    Version: '2012-10-17',
    Statement: groups.map((g, i) => ({
      Sid: `RightSized${i + 1}`,
      Effect: 'Allow',
      Action: g.actions,
      Resource: [...g.resources].sort(),
    })),
  };
}
