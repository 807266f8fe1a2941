/**
 * Sink configuration, e.g. from KEYWARD_AUDIT_SINKS (a JSON array):
 *   [{"type":"file","path":"/var/log/keyward/audit.jsonl","format":"ocsf"},
 *    {"type":"webhook","url":"https://siem.example/ingest","format":"jsonl"}]
 */
import type { AuditSink } from './audit-sink.js';
import { createFileSink } from './file-sink.js';
import type { AuditFormat } from './ocsf-mapping.js';
import { createWebhookSink } from './webhook-sink.js';

export type SinkConfig =
  | { type: 'file'; name?: string; path: string; format?: AuditFormat }
  | {
      type: 'webhook';
      name?: string;
      url: string;
      format?: AuditFormat;
      headers?: Record<string, string>;
      /** Deliver only these event types (e.g. the approval webhook: `approval.requested`). */
      types?: string[];
      /** HMAC-SHA256 key signing each delivery (see webhook-sink.ts). */
      secret?: string;
    };

export function parseSinkConfigs(text: string | undefined): SinkConfig[] {
  if (!text) return [];
  const parsed = JSON.parse(text) as unknown;
  if (!Array.isArray(parsed)) throw new Error('KEYWARD_AUDIT_SINKS must be a JSON array');
  for (const c of parsed as Array<{ type?: unknown; format?: unknown }>) {
    if (c.type !== 'file' && c.type !== 'webhook')
      throw new Error(`unknown audit sink type ${String(c.type)}`);
    if (c.format !== undefined && c.format !== 'jsonl' && c.format !== 'ocsf') {
      throw new Error(`audit sink format must be jsonl or ocsf, got ${String(c.format)}`);
    }
  }
  return parsed as SinkConfig[];
}

export function createSink(c: SinkConfig): AuditSink {
  return c.type === 'file' ? createFileSink(c) : createWebhookSink(c);
}
