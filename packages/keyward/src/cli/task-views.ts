/** Table and detail views of tasks for `keyward task …`. */
import type { BrokeredCredential } from '@keyward/sdk';
import { dash, type OutputStyle, paint, renderDetail, renderTable, time } from './output-format.js';

/** A task as the API returns it (scopes as {action, resource}). */
export interface TaskView {
  id: string;
  agentId: string;
  sponsorId: string;
  intent: string;
  scopes: Array<{ action: string; resource: string } | string>;
  environment: string;
  parentTaskId: string | null;
  status: string;
  createdAt: string;
  expiresAt: string;
  endedAt: string | null;
  endReason: string | null;
}

const scopeText = (scopes: TaskView['scopes']): string =>
  scopes.map((s) => (typeof s === 'string' ? s : `${s.action}:${s.resource}`)).join(' ');

function taskStatus(value: string, style: OutputStyle): string {
  if (value === 'active') return paint(value, 'green', style);
  return value === 'completed' ? value : paint(value, 'yellow', style);
}

const short = (text: string, max = 48): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export function taskTable(items: TaskView[], style: OutputStyle): string {
  return renderTable(
    ['ID', 'AGENT', 'SPONSOR', 'STATUS', 'ENV', 'EXPIRES', 'PARENT', 'INTENT'],
    items.map((t) => [
      t.id,
      t.agentId,
      t.sponsorId,
      taskStatus(t.status, style),
      t.environment,
      time(t.expiresAt),
      dash(t.parentTaskId),
      short(t.intent),
    ]),
    style,
  );
}

export function taskDetail(t: TaskView, style: OutputStyle): string {
  return renderDetail(
    [
      ['id', t.id],
      ['status', taskStatus(t.status, style)],
      ['agent', t.agentId],
      ['sponsor', t.sponsorId],
      ['intent', t.intent],
      ['scopes', scopeText(t.scopes)],
      ['environment', t.environment],
      ['parent', t.parentTaskId],
      ['created', time(t.createdAt)],
      ['expires', time(t.expiresAt)],
      ['ended', time(t.endedAt)],
      ['end reason', t.endReason],
    ],
    style,
  );
}

/** An opened task, with any brokered credentials (shown once: the password is not stored). */
export function openedTaskView(
  opened: { task: TaskView; credentials: BrokeredCredential[] },
  style: OutputStyle,
): string {
  const creds = opened.credentials.map(
    (c) =>
      `\n${paint(`credential for ${c.database}`, 'bold', style)} (shown once; valid until ${time(c.validUntil)})\n` +
      `  ${c.connectionUrl}\n`,
  );
  return taskDetail(opened.task, style) + creds.join('');
}
