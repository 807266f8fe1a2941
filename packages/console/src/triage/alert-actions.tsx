/**
 * Acknowledge and Resolve for one alert: what the API offers (`POST /v1/alerts/:id/ack|resolve`,
 * body `{note?}`). The reason the dialog asks for is sent as the note, so the audit trail says why.
 */
import { apiCall } from '../api/api-client.js';
import { ActionBar, type TriageAction } from './action-bar.js';
import type { Alert } from './triage-types.js';

export function AlertActions({ alert, onChanged }: { alert: Alert; onChanged: (a: Alert) => void }) {
  const path = `/v1/alerts/${encodeURIComponent(alert.id)}`;
  const post = async (verb: 'ack' | 'resolve', note: string) =>
    onChanged(await apiCall<Alert>(`${path}/${verb}`, { method: 'POST', body: { note } }));
  const resolved = alert.status === 'resolved' ? 'This alert is already resolved.' : undefined;
  const actions: TriageAction[] = [
    {
      key: 'ack',
      label: 'Acknowledge',
      unavailable: resolved ?? (alert.status === 'acknowledged' ? 'Already acknowledged.' : undefined),
      title: 'Acknowledge: someone is looking into it',
      body: (
        <p>
          Acknowledge <strong>{alert.title}</strong>: it stays open for investigation, marked as seen by you.
        </p>
      ),
      run: (note) => post('ack', note),
    },
    {
      key: 'resolve',
      label: 'Resolve',
      unavailable: resolved,
      title: 'Resolve: investigated and dealt with (or benign)',
      body: (
        <p>
          Resolve <strong>{alert.title}</strong>. Say what was found and done; the note is audited.
        </p>
      ),
      run: (note) => post('resolve', note),
    },
  ];
  return <ActionBar actions={actions} />;
}
