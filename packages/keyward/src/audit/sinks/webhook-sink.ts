/**
 * A webhook sink: POSTs each batch as `{"events": [...]}` (Keyward JSON or OCSF objects) with
 * content-type application/json. Any non-2xx answer, network error or timeout fails the batch, which
 * the sink runner retries with back-off (so the receiver must tolerate duplicates: dedupe on
 * `id` / OCSF metadata.uid).
 *
 * Optional: `secret` signs the exact body with HMAC-SHA256 in
 * `X-Keyward-Signature: sha256=<hex>` and sends `X-Keyward-Timestamp`, signed as `<timestamp>.<body>`
 * so a captured delivery cannot be replayed later under a fresh timestamp.
 */
import { createHmac } from 'node:crypto';
import type { AuditSink } from './audit-sink.js';
import { type AuditFormat, toOcsf } from './ocsf-mapping.js';

export const SIGNATURE_HEADER = 'x-keyward-signature';
export const TIMESTAMP_HEADER = 'x-keyward-timestamp';

/** The signature header value for `body` sent at `timestamp` (seconds since the epoch, as text). */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export function createWebhookSink(o: {
  name?: string;
  url: string;
  format?: AuditFormat;
  headers?: Record<string, string>;
  timeoutMs?: number;
  secret?: string;
}): AuditSink {
  const format = o.format ?? 'jsonl';
  return {
    name: o.name ?? `webhook:${o.url}`,
    async deliver(events) {
      if (events.length === 0) return;
      const body = JSON.stringify({ events: format === 'ocsf' ? events.map(toOcsf) : events });
      const headers: Record<string, string> = { 'content-type': 'application/json', ...o.headers };
      if (o.secret) {
        const timestamp = String(Math.floor(Date.now() / 1000));
        headers[TIMESTAMP_HEADER] = timestamp;
        headers[SIGNATURE_HEADER] = webhookSignature(o.secret, timestamp, body);
      }
      const res = await fetch(o.url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(o.timeoutMs ?? 10_000),
      });
      await res.arrayBuffer().catch(() => {});
      if (!res.ok) throw new Error(`webhook answered ${res.status}`);
    },
  };
}
