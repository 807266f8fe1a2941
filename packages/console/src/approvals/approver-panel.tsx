/**
 * "Approver sign-in": who decides here. Shows "Deciding as <name> <email>" with the token's expiry
 * and a sign-out; without a (live) token, the form to paste one (`name="approverToken"`, "Use this
 * token") and an explanation that deciding needs it. Browsing the queue never does.
 */
import { useState } from 'react';
import { ApiError } from '../api/api-client.js';
import { approverFromToken } from './approver-sign-in.js';
import { approverExpired, saveApprover, useApprover } from './approver-store.js';
import { useNow } from './use-now.js';

export function ApproverPanel() {
  const approver = useApprover();
  const now = useNow();
  const expired = approver ? approverExpired(approver, now) : false;
  return (
    <section className="panel approver-panel" aria-labelledby="approver-title">
      <h2 id="approver-title">Approver sign-in</h2>
      {approver ? (
        <div className="approver-who" data-testid="approver-who" data-human-id={approver.humanId}>
          <span>
            Deciding as <strong>{approver.name}</strong> <span className="muted">{approver.email}</span>
          </span>
          <span className={expired ? 'approver-expiry over' : 'approver-expiry'}>
            {approver.expiresAt === null
              ? 'token has no expiry'
              : expired
                ? 'token expired — paste a new one to decide'
                : `token expires in ${countdown(approver.expiresAt - now)}`}
          </span>
          <button type="button" className="btn btn-small" onClick={() => saveApprover(null)}>
            Sign out approver
          </button>
        </div>
      ) : (
        <p className="muted">
          Approving or denying is your own act: paste your ID token (a JWT from your organisation's identity
          provider, trusted by Keyward as a federation issuer). The console's API token only reads here.
        </p>
      )}
      {!approver || expired ? <TokenForm /> : null}
    </section>
  );
}

function TokenForm() {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  async function submit(): Promise<void> {
    setBusy(true);
    setError(undefined);
    try {
      saveApprover(await approverFromToken(token));
      setToken('');
    } catch (err) {
      setError(err instanceof ApiError ? `${err.detail} (${err.code})` : (err as Error).message);
    } finally {
      setBusy(false);
    }
  }
  return (
    <form
      className="approver-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (!busy && token.trim()) void submit();
      }}
    >
      <label className="field">
        Your ID token (JWT)
        <textarea
          name="approverToken"
          rows={3}
          spellCheck={false}
          autoComplete="off"
          value={token}
          onChange={(e) => setToken(e.target.value)}
          placeholder="eyJhbGciOi…"
        />
      </label>
      {error ? (
        <p className="state-error" role="alert">
          {error}
        </p>
      ) : null}
      <button type="submit" className="btn btn-primary" disabled={busy || !token.trim()}>
        {busy ? 'Checking…' : 'Use this token'}
      </button>
      <span className="muted small">Kept in this tab only; the server verifies it on each decision.</span>
    </form>
  );
}

function countdown(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s >= 3600) return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
}
