/**
 * Side panel for the picked node: what it is, how the focus reaches it (hop by hop, by name), and
 * for a group node its members with a button to expand it.
 */
import type { PathStep } from '@keyward/sdk';
import { Link } from 'react-router';
import { Badge } from '../ui/badges.js';
import type { NodeInfo } from './graph-model.js';

export interface NodeDetailsProps {
  info: NodeInfo | undefined;
  nameOf: (id: string) => string;
  onExpand?: ((groupId: string) => void) | undefined;
  expandBlocked?: string | undefined;
}

function Hop({ step, nameOf }: { step: PathStep; nameOf: (id: string) => string }) {
  return (
    <li>
      {nameOf(step.fromId)}{' '}
      <span className="muted">
        —{step.kind}
        {step.reversed ? ' (reverse)' : ''}→
      </span>{' '}
      {nameOf(step.toId)}
      {step.actions.length ? <span className="muted small"> [{step.actions.join(', ')}]</span> : null}
    </li>
  );
}

export function NodeDetails({ info, nameOf, onExpand, expandBlocked }: NodeDetailsProps) {
  if (!info) {
    return <p className="muted">Click a node to see its details and the path from the focus to it.</p>;
  }
  const { ref } = info;
  if (info.members) {
    return (
      <div data-testid="node-details">
        <h2>Group: {ref.name}</h2>
        <p className="muted">
          {ref.type} · {ref.kind ?? '—'} · sensitivity {ref.sensitivity ?? 'none'} · {info.depth} hop(s) away
        </p>
        {onExpand ? (
          <button
            type="button"
            className="btn btn-small btn-primary"
            onClick={() => onExpand(ref.id)}
            disabled={!!expandBlocked}
          >
            Expand {info.members.length} nodes
          </button>
        ) : null}
        {expandBlocked ? <p className="muted small">{expandBlocked}</p> : null}
        <ul className="kw-members">
          {info.members.slice(0, 25).map((m) => (
            <li key={m}>{nameOf(m)}</li>
          ))}
          {info.members.length > 25 ? <li className="muted">… and {info.members.length - 25} more</li> : null}
        </ul>
      </div>
    );
  }
  return (
    <div data-testid="node-details">
      <h2>{ref.name}</h2>
      <dl className="facts">
        <dt>Type</dt>
        <dd>
          {ref.type}
          {ref.kind ? ` · ${ref.kind}` : ''}
        </dd>
        {ref.sensitivity ? (
          <>
            <dt>Sensitivity</dt>
            <dd>
              <Badge value={ref.sensitivity} />
            </dd>
          </>
        ) : null}
        {ref.status ? (
          <>
            <dt>Status</dt>
            <dd>{ref.status}</dd>
          </>
        ) : null}
        {ref.environment ? (
          <>
            <dt>Environment</dt>
            <dd>{ref.environment}</dd>
          </>
        ) : null}
        {info.depth !== undefined ? (
          <>
            <dt>Hops</dt>
            <dd>{info.depth}</dd>
          </>
        ) : null}
        {info.actions?.length ? (
          <>
            <dt>Actions</dt>
            <dd>{info.actions.join(', ')}</dd>
          </>
        ) : null}
        <dt>Id</dt>
        <dd className="mono small">{ref.id}</dd>
      </dl>
      {ref.type === 'identity' ? <Link to={`/identities/${ref.id}`}>Open identity →</Link> : null}
      {info.path?.length ? (
        <>
          <h3 className="kw-sub">Path from the focus</h3>
          <ol className="kw-hops">
            {info.path.map((s) => (
              <Hop key={`${s.fromId}|${s.toId}|${s.kind}`} step={s} nameOf={nameOf} />
            ))}
          </ol>
        </>
      ) : null}
    </div>
  );
}
