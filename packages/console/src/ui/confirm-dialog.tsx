/**
 * Confirmation for every action that changes something: says what will happen, optionally asks for a
 * reason (audited), shows the server's error in place, and closes only when the action succeeded.
 * A native <dialog> so focus is trapped and Escape cancels.
 */
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/api-client.js';

export interface ConfirmProps {
  title: string;
  body: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  /** Ask for a reason; `true` makes it required. */
  reason?: boolean | 'required';
  /** Extra fields (e.g. a new owner); rendered above the reason. */
  children?: ReactNode;
  onConfirm: (reason: string) => Promise<void>;
  onClose: () => void;
}

export function ConfirmDialog(props: ConfirmProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  const needReason = props.reason === 'required' && reason.trim() === '';
  async function confirm(): Promise<void> {
    setBusy(true);
    setError(undefined);
    try {
      await props.onConfirm(reason.trim());
      props.onClose();
    } catch (err) {
      setError(err instanceof ApiError ? `${err.detail} (${err.code})` : String(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <dialog ref={ref} className="dialog" onClose={props.onClose} aria-labelledby="confirm-title">
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          if (!needReason && !busy) void confirm();
        }}
      >
        <h2 id="confirm-title">{props.title}</h2>
        <div className="dialog-body">{props.body}</div>
        {props.children}
        {props.reason ? (
          <label className="field">
            Reason{props.reason === 'required' ? ' (required)' : ''}
            <textarea name="reason" value={reason} onChange={(e) => setReason(e.target.value)} rows={2} />
          </label>
        ) : null}
        {error ? (
          <p className="state-error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={() => ref.current?.close()}>
            Cancel
          </button>
          <button
            type="submit"
            className={props.danger ? 'btn btn-danger' : 'btn btn-primary'}
            disabled={busy || needReason}
          >
            {busy ? 'Working…' : props.confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
