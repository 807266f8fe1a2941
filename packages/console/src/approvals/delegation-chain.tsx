/**
 * Who stands behind a request, as a chain: the task's sponsor (a human) → the agent → any sub-agents,
 * ending at the requester. Ids resolve to names; identities link to `/identities/<id>`.
 */
import { EntityLink, useEntity } from './entity-name.js';

/** The chain to draw: sponsor first (when the recorded chain does not start with it), requester last. */
export function chainOf(
  delegationChain: string[],
  requesterId: string,
  sponsorId: string | undefined,
): string[] {
  const ids = [...(sponsorId ? [sponsorId] : []), ...delegationChain];
  if (ids[ids.length - 1] !== requesterId) ids.push(requesterId);
  return ids.filter((id, i) => ids.indexOf(id) === i);
}

export function DelegationChain({
  ids,
  sponsorId,
  requesterId,
}: {
  ids: string[];
  sponsorId: string | undefined;
  requesterId: string;
}) {
  const firstAgent = ids.findIndex((id) => !id.startsWith('hum_'));
  return (
    <ol className="delegation-chain" aria-label="Delegation chain" data-testid="delegation-chain">
      {ids.map((id, i) => (
        <li key={id} data-id={id}>
          <ChainRole id={id} agentIndex={firstAgent < 0 ? -1 : i - firstAgent} />
          <EntityLink id={id} showDetail={id.startsWith('hum_')} />
          {id === sponsorId ? <span className="chain-note">sponsor</span> : null}
          {id === requesterId ? <span className="chain-note">requester</span> : null}
        </li>
      ))}
    </ol>
  );
}

function ChainRole({ id, agentIndex }: { id: string; agentIndex: number }) {
  const info = useEntity(id);
  const role = id.startsWith('hum_')
    ? 'human'
    : info?.detail && info.detail !== 'agent'
      ? info.detail.replace(/_/g, ' ')
      : agentIndex > 0
        ? 'sub-agent'
        : 'agent';
  return <span className="chain-role">{role}</span>;
}
