/**
 * The status-change buttons of a detail panel. Every change goes through ConfirmDialog with a
 * required reason (it is audited). Roles without `write` see the buttons disabled, with a title
 * saying why, rather than not at all: an auditor should know the action exists and who can take it.
 */
import { type ReactNode, useState } from 'react';
import { useSession } from '../api/use-session.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';

export interface TriageAction {
  key: string;
  label: string;
  /** Why it cannot be taken in the current state (e.g. already resolved); undefined when it can. */
  unavailable?: string | undefined;
  danger?: boolean;
  title: string;
  body: ReactNode;
  /** Extra dialog fields (e.g. the accepted-until date). */
  fields?: ReactNode;
  /** Called when the dialog opens, e.g. to reset the fields to their defaults. */
  onOpen?: () => void;
  run: (reason: string) => Promise<void>;
}

export function ActionBar({ actions }: { actions: TriageAction[] }) {
  const { session, can } = useSession();
  // The key, not the action: the dialog must see the action's current fields and closure.
  const [openKey, setOpenKey] = useState<string>();
  const open = actions.find((a) => a.key === openKey);
  const mayWrite = can('write');
  const denied = `Your role (${session?.role ?? 'none'}) can only read; this needs operator or admin.`;
  return (
    <div className="triage-actions">
      {actions.map((a) => {
        const why = !mayWrite ? denied : a.unavailable;
        return (
          <button
            key={a.key}
            type="button"
            className={a.danger ? 'btn btn-danger' : 'btn btn-primary'}
            disabled={why !== undefined}
            title={why ?? a.title}
            data-action={a.key}
            onClick={() => {
              a.onOpen?.();
              setOpenKey(a.key);
            }}
          >
            {a.label}
          </button>
        );
      })}
      {!mayWrite ? <span className="muted small">{denied}</span> : null}
      {open ? (
        <ConfirmDialog
          title={open.title}
          body={open.body}
          confirmLabel={open.label}
          danger={open.danger ?? false}
          reason="required"
          onConfirm={open.run}
          onClose={() => setOpenKey(undefined)}
        >
          {open.fields}
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
