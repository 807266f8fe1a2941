/**
 * The task an approval belongs to (`GET /v1/tasks/:id`): what the agent said it is doing (intent),
 * the scopes its sponsor granted, the sponsor, and the parent task for sub-agent work.
 */
import type { Task } from '@keyward/sdk';
import { useResource } from '../api/use-resource.js';
import { Badge } from '../ui/badges.js';
import { shortId, when } from '../ui/format.js';
import { Loaded } from '../ui/states.js';
import { EntityLink } from './entity-name.js';

/** The route answers scopes as {action, resource}; the SDK type says strings. Accept both. */
type ScopeLike = string | { action: string; resource: string };
const scopeText = (s: ScopeLike): string => (typeof s === 'string' ? s : `${s.action}:${s.resource}`);

export function TaskFacts({ task }: { task: Task }) {
  const parent = useResource<Task>(task.parentTaskId ? `/v1/tasks/${task.parentTaskId}` : null);
  return (
    <dl className="facts" data-testid="approval-task">
      <dt>Intent</dt>
      <dd className="task-intent">{task.intent}</dd>
      <dt>Scopes</dt>
      <dd>
        <ul className="scope-list">
          {(task.scopes as ScopeLike[]).map((s) => (
            <li key={scopeText(s)} className="mono">
              {scopeText(s)}
            </li>
          ))}
        </ul>
      </dd>
      <dt>Sponsor</dt>
      <dd>
        <EntityLink id={task.sponsorId} showDetail />
      </dd>
      <dt>Agent</dt>
      <dd>
        <EntityLink id={task.agentId} />
      </dd>
      <dt>Task</dt>
      <dd>
        <span className="mono" title={task.id}>
          {shortId(task.id)}
        </span>{' '}
        <Badge value={task.status} /> <span className="muted small">until {when(task.expiresAt)}</span>
      </dd>
      {task.parentTaskId ? (
        <>
          <dt>Parent task</dt>
          <dd>
            <span className="mono" title={task.parentTaskId}>
              {shortId(task.parentTaskId)}
            </span>{' '}
            <Loaded resource={parent} what="Loading parent task">
              {(p) => <span>“{p.intent}”</span>}
            </Loaded>
          </dd>
        </>
      ) : null}
    </dl>
  );
}
