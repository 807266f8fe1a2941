/**
 * Sign-in with a Keyward API token: checked with `GET /v1/whoami` before it is kept, so a wrong
 * token is refused here with the server's reason. The token's role decides what the console offers.
 */
import { useState } from 'react';
import { ApiError, apiCall } from '../api/api-client.js';
import { type SessionInfo, saveSession } from '../api/session-store.js';

export function SignInPage() {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  async function signIn(): Promise<void> {
    setBusy(true);
    setError(undefined);
    try {
      const me = await apiCall<Omit<SessionInfo, 'token'>>('/v1/whoami', { token: token.trim() });
      saveSession({ ...me, token: token.trim() });
    } catch (err) {
      setError(err instanceof ApiError ? err.detail : String(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <main className="sign-in">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void signIn();
        }}
      >
        <h1>Keyward</h1>
        <p className="muted">Sign in with a Keyward API token (`kw_…`). It stays in this tab only.</p>
        <label className="field">
          API token
          <input
            name="token"
            type="password"
            autoComplete="off"
            value={token}
            onChange={(e) => setToken(e.target.value)}
            placeholder="kw_…"
          />
        </label>
        {error ? (
          <p className="state-error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" className="btn btn-primary" disabled={busy || !token.trim()}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
        <p className="muted small">
          First start of <code>keyward serve</code> prints an admin token; more with{' '}
          <code>keyward token create --name me --role auditor</code>.
        </p>
      </form>
    </main>
  );
}
