/**
 * The chain verification result, said plainly: intact (how many events, up to which seq) or BROKEN
 * (first bad seq and why) in a red banner. `data-testid="audit-verify"` carries `data-status`
 * (checking | ok | broken | error) for browser tests.
 */
import { Link } from 'react-router';
import { withQuery } from '../api/api-client.js';
import { when } from '../ui/format.js';
import type { VerifyState } from './use-audit-verify.js';

const REASONS: Record<string, string> = {
  edited: 'an event was edited',
  deleted: 'events were deleted',
  inserted: 'an event was inserted',
  reordered: 'events were reordered',
  bad_checkpoint: 'a signed checkpoint does not match',
};

export function AuditVerifyBanner({ verify }: { verify: VerifyState }) {
  const { result, error, checking, checkedAt, run } = verify;
  const status = checking ? 'checking' : error ? 'error' : result?.ok ? 'ok' : 'broken';
  return (
    <section
      className={`audit-verify audit-verify-${status}`}
      data-testid="audit-verify"
      data-status={status}
      aria-live="polite"
    >
      <div className="audit-verify-text">
        {checking ? (
          <>
            <span className="spinner" aria-hidden="true" /> Verifying the hash chain…
          </>
        ) : error ? (
          <>
            <strong>Could not verify the chain</strong> ({error.code}): {error.detail}
          </>
        ) : result?.ok ? (
          <>
            <strong>✓ Chain intact.</strong> {result.events} events checked
            {result.lastSeq !== null ? `, up to seq ${result.lastSeq}` : ''}; {result.checkpoints}{' '}
            checkpoints, {result.signaturesChecked} signatures verified.
          </>
        ) : result ? (
          <>
            <strong>✗ Chain BROKEN at seq {result.firstBadSeq}</strong>:{' '}
            {REASONS[result.reason] ?? result.reason} ({result.reason}).{' '}
            <span className="mono">{result.detail}</span>{' '}
            <Link
              to={withQuery('/audit', { live: 0, order: 'asc', cursor: Math.max(0, result.firstBadSeq - 1) })}
            >
              Show events from seq {result.firstBadSeq}
            </Link>
          </>
        ) : null}
        {checkedAt && !checking ? <span className="muted"> · checked {when(checkedAt)} UTC</span> : null}
      </div>
      <button type="button" className="btn btn-small" onClick={run} disabled={checking}>
        Verify now
      </button>
    </section>
  );
}
