/**
 * Readable views of graph query results: lineage as a tree (ancestors above the subject's
 * descendants), blast radius and paths as numbered lists with the hops spelled out.
 */
import type { BlastRadius, GraphNodeRef, GraphPath, Lineage, LineageEntry, PathStep } from '@keyward/sdk';
import { type OutputStyle, paint, renderTree, sensitivity, type TreeNode } from './output-format.js';

/** `payments-api-prod (identity service_account, prod) critical orphaned` */
export function nodeLabel(node: GraphNodeRef, style: OutputStyle): string {
  const what = [node.type, node.kind].filter(Boolean).join(' ');
  const details = [what, node.environment].filter(Boolean).join(', ');
  const parts = [paint(node.name, 'bold', style), `(${details})`];
  if (node.sensitivity) parts.push(sensitivity(node.sensitivity, style));
  if (node.status && node.status !== 'active') parts.push(paint(node.status, 'red', style));
  return parts.join(' ');
}

/** The node an entry hangs from: the other end of the last step of its path. */
function parentOf(entry: LineageEntry, subjectId: string): string {
  const last = entry.path[entry.path.length - 1];
  if (!last) return subjectId;
  return last.fromId === entry.node.id ? last.toId : last.fromId;
}

function buildTree(
  rootLabel: string,
  subjectId: string,
  entries: LineageEntry[],
  arrow: string,
  style: OutputStyle,
) {
  const root: TreeNode = { label: rootLabel, children: [] };
  const byId = new Map<string, TreeNode>([[subjectId, root]]);
  const sorted = [...entries].sort((a, b) => a.depth - b.depth || a.node.name.localeCompare(b.node.name));
  for (const entry of sorted) {
    const node: TreeNode = { label: `${arrow} ${entry.via}: ${nodeLabel(entry.node, style)}`, children: [] };
    (byId.get(parentOf(entry, subjectId)) ?? root).children.push(node);
    if (!byId.has(entry.node.id)) byId.set(entry.node.id, node);
  }
  return root;
}

export function renderLineage(lineage: Lineage, style: OutputStyle): string {
  const subject = nodeLabel(lineage.subject, style);
  const ancestors =
    lineage.ancestors.length === 0
      ? 'Ancestors: (none)\n'
      : renderTree(buildTree('Ancestors of ' + subject, lineage.subject.id, lineage.ancestors, '←', style));
  const descendants =
    lineage.descendants.length === 0
      ? 'Descendants: (none)\n'
      : renderTree(
          buildTree('Descendants of ' + subject, lineage.subject.id, lineage.descendants, '→', style),
        );
  return `${ancestors}\n${descendants}`;
}

/** `a -can_assume-> b -has_permission[read,write]-> c`, names looked up in `names`. */
export function stepsText(startId: string, steps: PathStep[], names: Map<string, string>): string {
  const name = (id: string) => names.get(id) ?? id;
  let text = name(startId);
  for (const step of steps) {
    const next = step.toId;
    const actions = step.actions.length > 0 ? `[${step.actions.join(',')}]` : '';
    const edge = step.reversed ? `<-${step.kind}${actions}-` : `-${step.kind}${actions}->`;
    text += ` ${edge} ${name(next)}`;
  }
  return text;
}

export function renderBlastRadius(radius: BlastRadius, style: OutputStyle): string {
  const t = radius.totals;
  const names = new Map<string, string>([[radius.subject.id, radius.subject.name]]);
  for (const [id, ref] of Object.entries(radius.refs ?? {})) names.set(id, ref.name);
  for (const entry of radius.entries) names.set(entry.node.id, entry.node.name);
  const bySensitivity = (['critical', 'high', 'medium', 'low'] as const)
    .map((s) => `${sensitivity(s, style)} ${t.bySensitivity[s] ?? 0}`)
    .join(', ');
  const lines = [
    `Blast radius of ${nodeLabel(radius.subject, style)}`,
    `${t.reachable} reachable: ${t.identities} identities, ${t.resources} resources, ${t.systems} systems (${bySensitivity})`,
  ];
  if (radius.entries.length > 0) lines.push('');
  radius.entries.forEach((entry, index) => {
    const actions = entry.actions.length > 0 ? ` actions: ${entry.actions.join(', ')}` : '';
    lines.push(
      `${String(index + 1).padStart(3)}. ${nodeLabel(entry.node, style)} distance ${entry.distance}${actions}`,
    );
    lines.push(`     via ${stepsText(radius.subject.id, entry.path, names)}`);
  });
  if (radius.truncated)
    lines.push('', `… ${t.reachable - radius.entries.length} more (raise --limit to see them)`);
  return lines.join('\n') + '\n';
}

export function renderPath(path: GraphPath, style: OutputStyle): string {
  if (!path.reachable) {
    return `No path from ${nodeLabel(path.from, style)} to ${nodeLabel(path.to, style)}\n`;
  }
  if (path.steps.length === 0) return `${nodeLabel(path.from, style)} is the target itself (0 hops)\n`;
  const lines = [`Path from ${path.from.name} to ${path.to.name} (${path.steps.length} hops):`];
  path.nodes.forEach((node, index) => {
    lines.push(`${String(index + 1).padStart(3)}. ${nodeLabel(node, style)}`);
    const step = path.steps[index];
    if (step) {
      const actions = step.actions.length > 0 ? ` [${step.actions.join(', ')}]` : '';
      lines.push(`       ${step.reversed ? '↑ (reversed) ' : '↓ '}${step.kind}${actions}`);
    }
  });
  return lines.join('\n') + '\n';
}
