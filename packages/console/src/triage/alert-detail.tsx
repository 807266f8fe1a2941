/**
 * One alert in full (the `/alerts/:id` panel): what was seen against what is normal for the identity
 * (observed vs baseline), the audit events behind it, who acknowledged or resolved it, and the
 * Acknowledge / Resolve actions. After an action it reloads itself and tells the page.
 */
import { Link } from 'react-router';
import { Badge } from '../ui/badges.js';
import { AlertActions } from './alert-actions.js';
import { kindLabel } from './alert-table.js';
import { EvidenceView } from './evidence-view.js';
import { IdentityLink, LinkedText } from './id-link.js';
import { TriageDetail } from './triage-detail.js';
import type { Alert } from './triage-types.js';
import { At } from './when-cell.js';

function AlertBody({ a, onChanged }: { a: Alert; onChanged: (a: Alert) => void }) {
  const identity = encodeURIComponent(a.identityId);
  return (
    <>
      <p className="triage-badges">
        <Badge value={a.severity} /> <Badge value={a.status} /> <span>{kindLabel(a.kind)}</span>
      </p>
      <h3 className="triage-title">{a.title}</h3>
      <AlertActions alert={a} onChanged={onChanged} />
      <p>
        <LinkedText text={a.explanation} />
      </p>
      <div className="triage-compare">
        <div>
          <h4>Observed</h4>
          <EvidenceView data={a.observed} empty="Nothing recorded." />
        </div>
        <div>
          <h4>Baseline (normal for this identity)</h4>
          <EvidenceView data={a.baseline} empty="No baseline recorded." />
        </div>
      </div>
      <h4>History</h4>
      <dl className="facts">
        <dt>Identity</dt>
        <dd>
          <IdentityLink id={a.identityId} /> ·{' '}
          <Link to={`/alerts?identity=${identity}&status=all`}>its alerts</Link> ·{' '}
          <Link to={`/findings?identity=${identity}&status=all`}>its findings</Link>
        </dd>
        <dt>First seen</dt>
        <dd>
          <At iso={a.firstSeenAt} />
        </dd>
        <dt>Last seen</dt>
        <dd>
          <At iso={a.lastSeenAt} />
        </dd>
        <dt>Acknowledged</dt>
        <dd>
          <At iso={a.acknowledgedAt} />
          {a.acknowledgedBy ? ` by ${a.acknowledgedBy}` : ''}
        </dd>
        <dt>Resolved</dt>
        <dd>
          <At iso={a.resolvedAt} />
          {a.resolvedBy ? ` by ${a.resolvedBy}` : ''}
        </dd>
        <dt>Note</dt>
        <dd>{a.note ?? '—'}</dd>
        <dt>Events</dt>
        <dd>
          {a.eventCount} event{a.eventCount === 1 ? '' : 's'}
          {a.eventIds.length ? (
            <ul className="triage-list mono small">
              {a.eventIds.map((e) => (
                <li key={e}>{e}</li>
              ))}
            </ul>
          ) : null}
        </dd>
        <dt>Created</dt>
        <dd>
          <At iso={a.createdAt} />
        </dd>
        <dt>Updated</dt>
        <dd>
          <At iso={a.updatedAt} />
        </dd>
        <dt>Version</dt>
        <dd>{a.version}</dd>
        <dt>Id</dt>
        <dd className="mono">{a.id}</dd>
      </dl>
    </>
  );
}

export function AlertDetail({
  id,
  onClose,
  onChanged,
}: {
  id: string;
  onClose: () => void;
  onChanged: () => void;
}) {
  return (
    <TriageDetail<Alert>
      path={`/v1/alerts/${encodeURIComponent(id)}`}
      testId="alert-detail"
      heading="Alert"
      what="Loading the alert"
      noteOf={(a) => `Alert ${a.status}.`}
      body={(a, changed) => <AlertBody a={a} onChanged={changed} />}
      onClose={onClose}
      onChanged={onChanged}
    />
  );
}
