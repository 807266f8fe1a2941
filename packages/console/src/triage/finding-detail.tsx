/**
 * One finding in full (the `/findings/:id` panel): what, why it matters (the NHI code), the remedy,
 * the evidence, its history, and the Accept / Resolve actions. After an action it reloads itself and
 * tells the page, which reloads the list.
 */
import { Badge } from '../ui/badges.js';
import { when } from '../ui/format.js';
import { EvidenceView } from './evidence-view.js';
import { FindingActions } from './finding-actions.js';
import { IdentityLink, LinkedText } from './id-link.js';
import { nhiName } from './nhi-codes.js';
import { TriageDetail } from './triage-detail.js';
import type { Finding } from './triage-types.js';
import { At } from './when-cell.js';

function FindingBody({ f, onChanged }: { f: Finding; onChanged: (f: Finding) => void }) {
  return (
    <>
      <p className="triage-badges">
        <Badge value={f.severity} /> <Badge value={f.status} /> <span className="mono">{f.code}</span>{' '}
        <span className="muted">{nhiName(f.code)}</span>
      </p>
      <h3 className="triage-title">{f.title}</h3>
      <FindingActions finding={f} onChanged={onChanged} />
      <h4>Remedy</h4>
      <p className="triage-remedy">
        <LinkedText text={f.remedy} />
      </p>
      <h4>Evidence</h4>
      <EvidenceView data={f.evidence} />
      <h4>History</h4>
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          <Badge value={f.status} />
        </dd>
        <dt>Identity</dt>
        <dd>
          <IdentityLink id={f.identityId} />
        </dd>
        <dt>Credential</dt>
        <dd className="mono">{f.credentialId ?? '—'}</dd>
        <dt>Rule</dt>
        <dd className="mono">{f.rule}</dd>
        <dt>First seen</dt>
        <dd>
          <At iso={f.firstSeenAt} />
        </dd>
        <dt>Last seen</dt>
        <dd>
          <At iso={f.lastSeenAt} />
        </dd>
        <dt>Accepted until</dt>
        <dd>
          <At iso={f.acceptedUntil} />
        </dd>
        <dt>Resolved</dt>
        <dd>
          <At iso={f.resolvedAt} />
        </dd>
        <dt>Resolution</dt>
        <dd>{f.resolution ?? '—'}</dd>
        <dt>Note</dt>
        <dd>{f.note ?? '—'}</dd>
        <dt>Created</dt>
        <dd>
          <At iso={f.createdAt} />
        </dd>
        <dt>Updated</dt>
        <dd>
          <At iso={f.updatedAt} />
        </dd>
        <dt>Version</dt>
        <dd>{f.version}</dd>
        <dt>Id</dt>
        <dd className="mono">{f.id}</dd>
        <dt>Dedup key</dt>
        <dd className="mono small">{f.dedupKey}</dd>
      </dl>
    </>
  );
}

export function FindingDetail({
  id,
  onClose,
  onChanged,
}: {
  id: string;
  onClose: () => void;
  onChanged: () => void;
}) {
  return (
    <TriageDetail<Finding>
      path={`/v1/findings/${encodeURIComponent(id)}`}
      testId="finding-detail"
      heading="Finding"
      what="Loading the finding"
      noteOf={(f) =>
        f.status === 'accepted'
          ? `Risk accepted until ${when(f.acceptedUntil)}.`
          : `Finding ${f.status}${f.resolution ? ` (${f.resolution})` : ''}.`
      }
      body={(f, changed) => <FindingBody f={f} onChanged={changed} />}
      onClose={onClose}
      onChanged={onChanged}
    />
  );
}
