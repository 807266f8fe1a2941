/**
 * The actions on one identity, each behind a confirmation with a reason (audited): disable, revoke
 * (every token and task it holds, at once), record a rotation done at the provider, reassign owner.
 * Offered only to roles that may write; the server checks again.
 */
import type { Human, Identity, Page } from '@keyward/sdk';
import { useEffect, useState } from 'react';
import { apiCall, withQuery } from '../api/api-client.js';
import { useResource } from '../api/use-resource.js';
import { useSession } from '../api/use-session.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';

type Action = 'disable' | 'revoke' | 'rotate' | 'owner';

function OwnerPicker({ value, onChange }: { value: string; onChange: (id: string) => void }) {
  const [q, setQ] = useState('');
  const humans = useResource<Page<Human>>(withQuery('/v1/humans', { q: q.trim(), active: true, limit: 20 }));
  const items = humans.data?.items ?? [];
  // A new search that no longer lists the chosen human clears the choice: never send a hidden id.
  useEffect(() => {
    if (value && humans.data && !items.some((h) => h.id === value)) onChange('');
  }, [humans.data, items, value, onChange]);
  return (
    <div className="owner-picker">
      <label className="field">
        Find the new owner
        <input type="search" name="owner-search" value={q} onChange={(e) => setQ(e.target.value)} />
      </label>
      <label className="field">
        New owner
        <select name="ownerId" value={value} onChange={(e) => onChange(e.target.value)} required>
          <option value="">choose…</option>
          {items.map((h) => (
            <option key={h.id} value={h.id}>
              {h.name} ({h.email})
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

export function IdentityActions({ identity, onChanged }: { identity: Identity; onChanged: () => void }) {
  const { can } = useSession();
  const [open, setOpen] = useState<Action | null>(null);
  const [ownerId, setOwnerId] = useState('');
  const writable = can('write');
  const why = writable ? undefined : 'Your role may only read';
  const done = async (p: Promise<unknown>) => {
    await p;
    onChanged();
  };
  const button = (a: Action, label: string, disabled = false) => (
    <button
      type="button"
      className={a === 'revoke' || a === 'disable' ? 'btn btn-danger-outline' : 'btn'}
      disabled={!writable || disabled}
      title={why}
      onClick={() => {
        setOwnerId('');
        setOpen(a);
      }}
    >
      {label}
    </button>
  );
  const close = () => setOpen(null);
  const name = <strong>{identity.name}</strong>;
  return (
    <div className="page-actions" data-testid="identity-actions">
      {button('owner', 'Reassign owner')}
      {button('rotate', 'Record rotation')}
      {button('revoke', 'Revoke')}
      {button('disable', 'Disable', identity.status === 'disabled')}
      {open === 'disable' ? (
        <ConfirmDialog
          title="Disable identity"
          danger
          reason="required"
          confirmLabel="Disable"
          body={
            <p>
              Disable {name}? It stays on record, but no graph path runs through it and it can get no new
              tokens.
            </p>
          }
          onConfirm={(reason) =>
            done(
              apiCall(`/v1/identities/${identity.id}/disable`, {
                method: 'POST',
                body: { version: identity.version, reason },
              }),
            )
          }
          onClose={close}
        />
      ) : null}
      {open === 'revoke' ? (
        <ConfirmDialog
          title="Revoke identity"
          danger
          reason="required"
          confirmLabel="Revoke"
          body={
            <p>
              Revoke everything {name} holds now: its access tokens and running tasks stop within a second,
              for every service that follows Keyward's revocation feed.
            </p>
          }
          onConfirm={(reason) =>
            done(
              apiCall('/v1/revocations', {
                method: 'POST',
                body: { kind: 'identity', id: identity.id, reason },
              }),
            )
          }
          onClose={close}
        />
      ) : null}
      {open === 'rotate' ? (
        <ConfirmDialog
          title="Record a rotation"
          confirmLabel="Record rotation"
          body={
            <p>
              Keyward does not hold {name}'s {identity.origin} credential: rotate it there, then record it
              here so its age, rotation schedule and findings are up to date. (Keyward API keys, the signing
              key and brokered database roles are rotated by Keyward itself: <code>keyward rotation run</code>
              .)
            </p>
          }
          onConfirm={() =>
            done(
              apiCall(`/v1/identities/${identity.id}`, {
                method: 'PATCH',
                body: {
                  version: identity.version,
                  credential: { ...identity.credential, lastRotatedAt: new Date().toISOString() },
                },
              }),
            )
          }
          onClose={close}
        />
      ) : null}
      {open === 'owner' ? (
        <ConfirmDialog
          title="Reassign owner"
          confirmLabel="Reassign"
          body={<p>Choose who owns {name} from now on. They will get its findings and access reviews.</p>}
          onConfirm={async () => {
            if (!ownerId) throw new Error('choose the new owner first');
            await done(
              apiCall(`/v1/identities/${identity.id}`, {
                method: 'PATCH',
                body: { version: identity.version, ownerId },
              }),
            );
          }}
          onClose={close}
        >
          <OwnerPicker value={ownerId} onChange={setOwnerId} />
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
