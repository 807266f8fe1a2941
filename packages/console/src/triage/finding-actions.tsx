/**
 * Accept (risk accepted until a date) and Resolve for one finding, with the exact bodies of
 * `POST /v1/findings/:id/accept` ({reason, until}) and `/resolve` ({reason}).
 */
import { useState } from 'react';
import { apiCall } from '../api/api-client.js';
import { dayFromNow, untilOf } from './accept-until.js';
import { ActionBar, type TriageAction } from './action-bar.js';
import type { Finding } from './triage-types.js';

export function FindingActions({
  finding,
  onChanged,
}: {
  finding: Finding;
  onChanged: (f: Finding) => void;
}) {
  const [day, setDay] = useState(() => dayFromNow(30));
  const path = `/v1/findings/${encodeURIComponent(finding.id)}`;
  const resolved = finding.status === 'resolved' ? 'This finding is already resolved.' : undefined;
  const actions: TriageAction[] = [
    {
      key: 'accept',
      label: finding.status === 'accepted' ? 'Extend acceptance' : 'Accept risk',
      unavailable: resolved,
      title: 'Accept the risk until a date (stays visible, counted as accepted)',
      body: (
        <p>
          Accept the risk of <strong>{finding.title}</strong> until the date below. It stays on the list as
          accepted; the reason is audited.
        </p>
      ),
      onOpen: () => setDay(dayFromNow(30)),
      fields: (
        <label className="field">
          Accepted until
          <input
            type="date"
            name="until"
            required
            min={dayFromNow(0)}
            value={day}
            onChange={(e) => setDay(e.target.value)}
          />
        </label>
      ),
      run: async (reason) => {
        const until = untilOf(day);
        if ('error' in until) throw new Error(until.error);
        onChanged(
          await apiCall<Finding>(`${path}/accept`, { method: 'POST', body: { reason, until: until.iso } }),
        );
      },
    },
    {
      key: 'resolve',
      label: 'Resolve',
      unavailable: resolved,
      title: 'Resolve by hand (e.g. fixed, or a false positive)',
      body: (
        <p>
          Mark <strong>{finding.title}</strong> resolved by hand. Say why (fixed how, or why it is a false
          positive); the reason is audited.
        </p>
      ),
      run: async (reason) => {
        onChanged(await apiCall<Finding>(`${path}/resolve`, { method: 'POST', body: { reason } }));
      },
    },
  ];
  return <ActionBar actions={actions} />;
}
