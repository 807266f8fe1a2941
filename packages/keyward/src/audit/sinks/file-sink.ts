/** A JSON-lines file sink: appends one line per event (Keyward JSON or OCSF) and fsyncs each batch. */
import { open } from 'node:fs/promises';
import type { AuditSink } from './audit-sink.js';
import { type AuditFormat, formatEvent } from './ocsf-mapping.js';

export function createFileSink(o: { name?: string; path: string; format?: AuditFormat }): AuditSink {
  const format = o.format ?? 'jsonl';
  return {
    name: o.name ?? `file:${o.path}`,
    async deliver(events) {
      const file = await open(o.path, 'a', 0o600);
      try {
        await file.write(events.map((e) => `${formatEvent(e, format)}\n`).join(''));
        await file.sync();
      } finally {
        await file.close();
      }
    },
  };
}
