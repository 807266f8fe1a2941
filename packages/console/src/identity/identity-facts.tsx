/** Everything on the identity record itself: owner, purpose, where it came from, its credential's dates. */
import type { Identity } from '@keyward/sdk';
import { Link } from 'react-router';
import { useNames } from '../api/use-names.js';
import { Badge } from '../ui/badges.js';
import { ago, when } from '../ui/format.js';

export function IdentityFacts({ identity: i }: { identity: Identity }) {
  const name = useNames([i.ownerId]);
  const c = i.credential;
  return (
    <section className="panel" aria-label="Facts">
      <dl className="facts" data-testid="identity-facts">
        <dt>Kind</dt>
        <dd>{i.kind}</dd>
        <dt>Status</dt>
        <dd>
          <Badge value={i.status} />
        </dd>
        <dt>Owner</dt>
        <dd data-testid="identity-owner">
          {i.ownerId ? (
            <Link to={`/inventory?ownerId=${i.ownerId}`}>{name(i.ownerId)}</Link>
          ) : (
            <Badge value="no owner" />
          )}
        </dd>
        <dt>Purpose</dt>
        <dd>{i.purpose ?? <span className="muted">none recorded</span>}</dd>
        <dt>Environment</dt>
        <dd>{i.environment}</dd>
        <dt>Business system</dt>
        <dd>{i.businessSystem ?? '—'}</dd>
        <dt>Origin</dt>
        <dd>
          {i.origin}
          {i.originExternalId ? <code> {i.originExternalId}</code> : null}
        </dd>
        <dt>Credential</dt>
        <dd>
          created {ago(c.createdAt)} · rotated {ago(c.lastRotatedAt)} · expires{' '}
          {c.expiresAt ? when(c.expiresAt) : 'never'} · last used {ago(c.lastUsedAt)}
          {c.rotationPeriodDays ? ` · rotate every ${c.rotationPeriodDays} days` : ''}
        </dd>
        <dt>Review by</dt>
        <dd>{when(i.reviewDate)}</dd>
        <dt>Secret locations</dt>
        <dd>
          {i.secretLocations.length === 0
            ? '—'
            : i.secretLocations.map((s) => <div key={JSON.stringify(s)}>{JSON.stringify(s)}</div>)}
        </dd>
        <dt>Labels</dt>
        <dd>
          {Object.entries(i.labels).map(([k, v]) => (
            <code key={k} className="label-chip">
              {k}={v}
            </code>
          ))}
        </dd>
        <dt>Seen</dt>
        <dd>
          first {when(i.firstSeen)} · last {ago(i.lastSeen)}
        </dd>
        <dt>Id</dt>
        <dd>
          <code>{i.id}</code> · version {i.version}
        </dd>
      </dl>
    </section>
  );
}
