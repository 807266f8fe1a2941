/**
 * The latest signed checkpoint (seq, head hash, key id, when) and how many there are. A checkpoint
 * is what an outside verifier pins: "the log up to seq N had head hash H", signed.
 */
import { useResource } from '../api/use-resource.js';
import { ago, when } from '../ui/format.js';
import { Loaded } from '../ui/states.js';
import type { CheckpointList } from './audit-types.js';

export function AuditCheckpoints() {
  const res = useResource<CheckpointList>('/v1/audit/checkpoints', { refreshMs: 60_000 });
  return (
    <section className="panel audit-checkpoints" aria-labelledby="cp-title">
      <h2 id="cp-title">Latest signed checkpoint</h2>
      <Loaded resource={res} what="Loading checkpoints">
        {(list) => {
          const latest = list.items[list.items.length - 1];
          if (!latest)
            return <p className="muted">No checkpoint yet (one is made every minute while events arrive).</p>;
          return (
            <dl className="facts">
              <dt>Seq</dt>
              <dd data-testid="audit-checkpoint-seq">{latest.seq}</dd>
              <dt>Head hash</dt>
              <dd className="mono">{latest.hash}</dd>
              <dt>Made</dt>
              <dd>
                {when(latest.time)} UTC ({ago(latest.time)}), {latest.kind}
              </dd>
              <dt>Signing key</dt>
              <dd className="mono">
                {latest.kid}
                {latest.kid === list.kid ? ' (active)' : ' (retired)'}
              </dd>
              <dt>Checkpoints</dt>
              <dd>{list.items.length}</dd>
            </dl>
          );
        }}
      </Loaded>
    </section>
  );
}
