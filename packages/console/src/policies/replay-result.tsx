/**
 * What a candidate policy set would change (POST /v1/policies/diff): how many recent decisions were
 * replayed, and each one whose outcome would differ, current → candidate. Shown before Apply.
 * `data-testid="policy-diff-result"` (with `data-changed`) is the browser-test hook.
 */
import { Badge } from '../ui/badges.js';
import { when } from '../ui/format.js';
import { EntityRef } from './entity-ref.js';
import type { PolicyDiffResult } from './policy-types.js';

export function ReplayResult({ result, stale }: { result: PolicyDiffResult; stale: boolean }) {
  return (
    <section
      className={stale ? 'panel replay-result replay-stale' : 'panel replay-result'}
      data-testid="policy-diff-result"
      data-changed={result.changed}
      aria-labelledby="replay-title"
    >
      <h2 id="replay-title">Replay of recent decisions against the edited set</h2>
      {stale ? (
        <p className="replay-stale-note">
          The files changed after this replay; replay again before applying.
        </p>
      ) : null}
      <p className="replay-counts">
        <strong>{result.changed}</strong> decision{result.changed === 1 ? '' : 's'} would change ·{' '}
        {result.replayed} replayed ({result.distinct} distinct requests, {result.skipped} skipped)
      </p>
      {result.changes.length === 0 ? (
        <p className="muted">
          {result.replayed === 0
            ? 'No recent decisions to replay, so the effect cannot be predicted from history.'
            : 'No replayed decision would change.'}
        </p>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Time (UTC)</th>
                <th scope="col">Principal</th>
                <th scope="col">Action</th>
                <th scope="col">Resource</th>
                <th scope="col">Times</th>
                <th scope="col">Before → after</th>
                <th scope="col">Why (candidate)</th>
              </tr>
            </thead>
            <tbody>
              {result.changes.map((c) => (
                <tr key={c.decisionId}>
                  <td className="nowrap">{when(c.time)}</td>
                  <td>
                    <EntityRef uid={c.principal} />
                  </td>
                  <td className="mono">{c.action}</td>
                  <td>
                    <EntityRef uid={c.resource} />
                  </td>
                  <td>{c.count}</td>
                  <td className="nowrap">
                    <Badge value={c.current} title={`recorded: ${c.recorded}`} /> →{' '}
                    <Badge value={c.candidate} />
                  </td>
                  <td>
                    {c.candidateReason}
                    {c.candidatePolicyIds.length ? (
                      <span className="muted mono small"> ({c.candidatePolicyIds.join(', ')})</span>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
