/** One identity: everything Keyward knows about it, its blast radius at a glance, and the actions on it. */
import type { BlastRadius, Identity } from '@keyward/sdk';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { withQuery } from '../api/api-client.js';
import { useResource } from '../api/use-resource.js';
import { IdentityActions } from '../identity/identity-actions.js';
import { IdentityFacts } from '../identity/identity-facts.js';
import { IdentityRelated } from '../identity/identity-related.js';
import { PageHeader } from '../ui/layout.js';
import { Loaded } from '../ui/states.js';

function BlastSummary({ id }: { id: string }) {
  const blast = useResource<BlastRadius>(withQuery(`/v1/identities/${id}/blast-radius`, { limit: 0 }));
  const t = blast.data?.totals;
  return (
    <section className="panel">
      <h2>Blast radius</h2>
      {t ? (
        <p data-testid="blast-summary">
          Reaches <strong>{t.reachable}</strong> nodes ({t.identities} identities, {t.resources} resources,{' '}
          {t.systems} systems), <strong>{t.bySensitivity.critical}</strong> of them critical,{' '}
          {t.bySensitivity.high} high.{' '}
          <Link to={withQuery('/graph', { view: 'blast', id })}>Show the blast radius graph →</Link>{' '}
          <Link to={withQuery('/graph', { view: 'lineage', id })}>Lineage →</Link>
        </p>
      ) : (
        <p className="muted">{blast.error ? blast.error.message : 'Loading…'}</p>
      )}
    </section>
  );
}

export function IdentityPage() {
  const { id = '' } = useParams();
  const identity = useResource<Identity>(`/v1/identities/${encodeURIComponent(id)}`);
  // An action can change what hangs off the identity without changing its record (a revocation
  // ends its tasks): every action redraws the related panels.
  const [changes, setChanges] = useState(0);
  const changed = () => {
    identity.reload();
    setChanges((n) => n + 1);
  };
  return (
    <Loaded resource={identity} what="Loading identity">
      {(i) => (
        <>
          <PageHeader title={i.name}>
            <IdentityActions identity={i} onChanged={changed} />
          </PageHeader>
          <div className="grid-2">
            <IdentityFacts identity={i} />
            <BlastSummary key={`blast-${i.version}-${changes}`} id={i.id} />
          </div>
          <IdentityRelated key={`related-${i.version}-${changes}`} identity={i} />
        </>
      )}
    </Loaded>
  );
}
