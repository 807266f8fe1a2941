/**
 * A webhook sink: POSTs each batch as `{"events": [...]}` (Keyward JSON or OCSF objects) with
 * content-type application/json. Any non-2xx answer, network error or timeout fails the batch, which
 * the sink runner retries with back-off (so the receiver must tolerate duplicates: dedupe on
 * `id` / OCSF metadata.uid).
 */
import type { AuditSink } from './audit-sink.js';
import { type AuditFormat, toOcsf } from './ocsf-mapping.js';

export function createWebhookSink(o: {
  name?: string;
  url: string;
  format?: AuditFormat;
  headers?: Record<string, string>;
  timeoutMs?: number;
}): AuditSink {
  const format = o.format ?? 'jsonl';
  return {
    name: o.name ?? `webhook:${o.url}`,
    async deliver(events) {
      const res = await fetch(o.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...o.headers },
        body: JSON.stringify({ events: format === 'ocsf' ? events.map(toOcsf) : events }),
        signal: AbortSignal.timeout(o.timeoutMs ?? 10_000),
      });
      await res.arrayBuffer().catch(() => {});
      if (!res.ok) throw new Error(`webhook answered ${res.status}`);
    },
  };
}
