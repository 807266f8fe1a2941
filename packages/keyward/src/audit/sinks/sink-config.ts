/**
 * Sink configuration, e.g. from KEYWARD_AUDIT_SINKS (a JSON array):
 *   [{"type":"file","path":"/var/log/keyward/audit.jsonl","format":"ocsf"},
 *    {"type":"webhook","url":"https://siem.example/ingest","format":"jsonl"}]
 * `types` (optional, any sink) keeps only events whose type starts with one of the prefixes, e.g.
 * {"type":"webhook","url":"https://pager.example/hook","types":["alert."]} delivers alerts only.
 */
import type { AuditSink } from './audit-sink.js';
import { createFileSink } from './file-sink.js';
import type { AuditFormat } from './ocsf-mapping.js';
import { createWebhookSink } from './webhook-sink.js';

export type SinkConfig = (
  | { type: 'file'; name?: string; path: string; format?: AuditFormat }
  | {
      type: 'webhook';
      name?: string;
      url: string;
      format?: AuditFormat;
      headers?: Record<string, string>;
      /** HMAC-SHA256 key signing each delivery (see webhook-sink.ts). */
      secret?: string;
    }
) & { types?: string[] };

export function parseSinkConfigs(text: string | undefined): SinkConfig[] {
  if (!text) return [];
  const parsed = JSON.parse(text) as unknown;
  if (!Array.isArray(parsed)) throw new Error('KEYWARD_AUDIT_SINKS must be a JSON array');
  for (const c of parsed as Array<{ type?: unknown; format?: unknown; types?: unknown }>) {
    if (c.types !== undefined && !(Array.isArray(c.types) && c.types.every((t) => typeof t === 'string'))) {
      throw new Error('audit sink types must be an array of event type prefixes');
    }
    if (c.type !== 'file' && c.type !== 'webhook')
      throw new Error(`unknown audit sink type ${String(c.type)}`);
    if (c.format !== undefined && c.format !== 'jsonl' && c.format !== 'ocsf') {
      throw new Error(`audit sink format must be jsonl or ocsf, got ${String(c.format)}`);
    }
  }
  return parsed as SinkConfig[];
}

export function createSink(c: SinkConfig): AuditSink {
  const sink = c.type === 'file' ? createFileSink(c) : createWebhookSink(c);
  const types = c.types;
  if (!types || types.length === 0) return sink;
  // Filtered sinks still advance their cursor over every event; they deliver only the matching ones.
  return {
    name: c.name ?? `${sink.name}[${types.join(',')}]`,
    async deliver(events) {
      const kept = events.filter((e) => types.some((t) => e.type.startsWith(t)));
      if (kept.length > 0) await sink.deliver(kept);
    },
  };
}
