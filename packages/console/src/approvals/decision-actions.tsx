/**
 * Approve / Deny, each behind a ConfirmDialog with an optional comment. The decision is sent with the
 * approver's own ID token in X-Keyward-Human-Token (the route is public: the server checks that
 * token, not the console's API token). The console's token still rides along as the bearer so a 401
 * about the human token is not mistaken for the console session ending (apiCall signs out on 401
 * only for calls made without an explicit token). Server errors show in the dialog as they are.
 */
import type { Approval } from '@keyward/sdk';
import { useState } from 'react';
import { apiCall } from '../api/api-client.js';
import { currentToken } from '../api/session-store.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { approverExpired, useApprover } from './approver-store.js';
import { requestSummary } from './binding-format.js';

const HUMAN_TOKEN_HEADER = 'X-Keyward-Human-Token';

export function DecisionActions({
  approval,
  now,
  onDecided,
}: {
  approval: Approval;
  now: number;
  onDecided: (a: Approval) => void;
}) {
  const approver = useApprover();
  const [open, setOpen] = useState<'approve' | 'deny'>();
  const [comment, setComment] = useState('');
  if (approval.status !== 'pending') return null;
  const why = !approver
    ? 'Paste your ID token under “Approver sign-in” to approve or deny.'
    : approverExpired(approver, now)
      ? 'Your ID token has expired; paste a new one under “Approver sign-in”.'
      : undefined;
  const notListed = approver && !approval.approverIds.includes(approver.humanId);
  async function decide(verb: 'approve' | 'deny'): Promise<void> {
    if (!approver) return;
    const text = comment.trim();
    const decided = await apiCall<Approval>(`/v1/approvals/${approval.id}/${verb}`, {
      method: 'POST',
      headers: { [HUMAN_TOKEN_HEADER]: approver.token },
      body: text ? { comment: text } : {},
      token: currentToken() ?? '',
    });
    onDecided(decided);
  }
  return (
    <div className="decision-actions">
      <div className="decision-buttons">
        <button
          type="button"
          className="btn btn-primary"
          disabled={Boolean(why)}
          onClick={() => {
            setComment('');
            setOpen('approve');
          }}
        >
          Approve
        </button>
        <button
          type="button"
          className="btn btn-danger"
          disabled={Boolean(why)}
          onClick={() => {
            setComment('');
            setOpen('deny');
          }}
        >
          Deny
        </button>
      </div>
      {why ? (
        <p className="muted small" data-testid="decide-disabled">
          {why}
        </p>
      ) : notListed ? (
        <p className="decision-warning small" role="note">
          You ({approver.name}) are not among this request's approvers; Keyward will refuse your decision.
        </p>
      ) : null}
      {open ? (
        <ConfirmDialog
          title={open === 'approve' ? 'Approve this request?' : 'Deny this request?'}
          body={
            <p>
              {open === 'approve'
                ? 'The agent may then make exactly this call (same arguments) for a limited time: '
                : 'The agent’s call is refused: '}
              <strong className="mono">{requestSummary(approval.binding)}</strong>. You decide as{' '}
              <strong>{approver?.name}</strong>; this is recorded in the audit trail.
            </p>
          }
          confirmLabel={open === 'approve' ? 'Approve request' : 'Deny request'}
          danger={open === 'deny'}
          onConfirm={() => decide(open)}
          onClose={() => setOpen(undefined)}
        >
          <label className="field">
            Comment (optional)
            <textarea
              name="comment"
              rows={2}
              maxLength={1000}
              value={comment}
              onChange={(e) => setComment(e.target.value)}
            />
          </label>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
