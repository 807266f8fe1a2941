/** What hangs off an identity: open findings, alerts, tasks, discovered credentials, recent audit events. */
import type { Identity } from '@keyward/sdk';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { withQuery } from '../api/api-client.js';
import { useResource } from '../api/use-resource.js';
import { Badge } from '../ui/badges.js';
import { ago, shortId, when } from '../ui/format.js';
import { Loaded } from '../ui/states.js';
import type {
  Alert,
  AuditEvent,
  DiscoveredCredential,
  Finding,
  Items,
  RegisteredKey,
  Task,
} from './related-types.js';

function Section<T>({
  title,
  path,
  more,
  testId,
  empty,
  row,
}: {
  title: string;
  path: string;
  more?: string;
  testId: string;
  empty: string;
  row: (item: T) => ReactNode;
}) {
  const r = useResource<Items<T>>(path);
  return (
    <section className="panel" data-testid={testId}>
      <h2>
        {title}{' '}
        {r.data ? (
          <span className="muted">
            ({r.data.items.length}
            {r.data.nextCursor ? '+' : ''})
          </span>
        ) : null}
        {more ? (
          <Link className="small more" to={more}>
            all →
          </Link>
        ) : null}
      </h2>
      <Loaded resource={r}>
        {(d) =>
          d.items.length === 0 ? (
            <p className="muted">{empty}</p>
          ) : (
            <ul className="rows">{d.items.map((item) => row(item))}</ul>
          )
        }
      </Loaded>
    </section>
  );
}

export function IdentityRelated({ identity }: { identity: Identity }) {
  const id = identity.id;
  return (
    <div className="grid">
      <Section<Finding>
        title="Open findings"
        testId="identity-findings"
        path={withQuery('/v1/findings', { identityId: id, status: 'open', limit: 20 })}
        more={withQuery('/findings', { identity: id })}
        empty="No open findings."
        row={(f) => (
          <li key={f.id}>
            <Badge value={f.severity} /> <code>{f.code}</code> <Link to={`/findings/${f.id}`}>{f.title}</Link>
          </li>
        )}
      />
      <Section<Alert>
        title="Alerts"
        testId="identity-alerts"
        path={withQuery('/v1/alerts', { identityId: id, limit: 20 })}
        more={withQuery('/alerts', { identity: id })}
        empty="No alerts."
        row={(a) => (
          <li key={a.id}>
            <Badge value={a.severity} /> <Badge value={a.status} />{' '}
            <Link to={`/alerts/${a.id}`}>{a.title}</Link>
          </li>
        )}
      />
      <Section<Task>
        title="Tasks"
        testId="identity-tasks"
        path={withQuery('/v1/tasks', { agentId: id, limit: 20 })}
        empty="No tasks (only agents run tasks)."
        row={(t) => (
          <li key={t.id}>
            <Badge value={t.status} /> {t.intent}{' '}
            <span className="muted small">until {when(t.expiresAt)}</span>
          </li>
        )}
      />
      <Section<DiscoveredCredential>
        title="Credentials"
        testId="identity-credentials"
        path={withQuery('/v1/credentials', { identityId: id, limit: 20 })}
        empty="No discovered credentials linked."
        row={(c) => (
          <li key={c.id}>
            <Badge value={c.status} /> {c.kind} <code>{c.hint ?? c.externalId ?? shortId(c.id)}</code>{' '}
            <span className="muted small">
              created {ago(c.createdAt)} · rotated {ago(c.lastRotatedAt)} · last used {ago(c.lastUsedAt)}
              {c.expiresAt ? ` · expires ${when(c.expiresAt)}` : ''}
            </span>
          </li>
        )}
      />
      <Section<RegisteredKey>
        title="Registered keys"
        testId="identity-keys"
        path={`/v1/identities/${id}/keys`}
        empty="No public keys registered (private_key_jwt)."
        row={(k) => (
          <li key={k.kid}>
            <code>{k.kid}</code> {k.publicJwk.kty}
            {k.publicJwk.crv ? ` ${k.publicJwk.crv}` : ''}{' '}
            <span className="muted small">
              added {ago(k.createdAt)} · {k.thumbprint.slice(0, 12)}…
            </span>
          </li>
        )}
      />
      <Section<AuditEvent>
        title="Recent audit events"
        testId="identity-audit"
        path={withQuery('/v1/audit/events', { identityId: id, order: 'desc', limit: 20 })}
        more={withQuery('/audit', { identityId: id })}
        empty="No audit events."
        row={(e) => (
          <li key={e.seq}>
            <code>{e.type}</code> {e.action ? <span>{e.action}</span> : null} <Badge value={e.outcome} />{' '}
            <span className="muted small">{when(e.time)}</span>
          </li>
        )}
      />
    </div>
  );
}
