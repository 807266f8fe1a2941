/**
 * Export sinks and retention, on both backends: a webhook against a real local HTTP server that
 * fails and then succeeds (retried with back-off, at-least-once, cursor persisted), a dead letter
 * after N failures, the OCSF file sink, and retention that archives and deletes a prefix while
 * verification keeps passing from the signed retention checkpoint.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyRetention } from '../../src/audit/audit-retention.js';
import type { AuditEvent } from '../../src/audit/audit-types.js';
import { verifyAuditLog } from '../../src/audit/audit-verifier.js';
import { createAuditWriter } from '../../src/audit/audit-writer.js';
import { createEphemeralSigner } from '../../src/audit/checkpoint-signer.js';
import { createSinkRunner } from '../../src/audit/sinks/audit-sink.js';
import { createFileSink } from '../../src/audit/sinks/file-sink.js';
import { createWebhookSink } from '../../src/audit/sinks/webhook-sink.js';
import { TEST_BACKENDS } from '../test-server.js';
import { type AuditFixture, anAuditEvent, openAuditFixture } from './audit-fixtures.js';

async function receiver(
  failFirst: number,
): Promise<{ server: Server; url: string; got: AuditEvent[][]; calls: () => number }> {
  const got: AuditEvent[][] = [];
  let calls = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      calls++;
      if (calls <= failFirst) {
        res.writeHead(503).end();
        return;
      }
      got.push((JSON.parse(body) as { events: AuditEvent[] }).events);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/ingest`, got, calls: () => calls };
}

describe.each(TEST_BACKENDS)('audit sinks and retention [%s]', (backend) => {
  let fx: AuditFixture;
  beforeEach(async () => {
    fx = await openAuditFixture(backend);
    const writer = createAuditWriter(fx.store);
    for (let i = 0; i < 25; i++) await writer.append(anAuditEvent());
    await writer.close();
  });
  afterEach(() => fx.close());

  it('webhook: fails twice, then delivers every event once per successful POST, cursor persisted', async () => {
    const r = await receiver(2);
    try {
      const sink = createWebhookSink({ name: 'siem', url: r.url });
      const runner = createSinkRunner(fx.store, sink, { batchSize: 10, baseDelayMs: 5, maxAttempts: 4 });
      expect(await runner.runOnce()).toBe(25);
      expect(r.calls()).toBe(5); // 2 failures, then 3 batches of 10/10/5
      expect(r.got.flat().map((e) => e.seq)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
      expect(await fx.store.auditSinks.cursor('siem')).toBe(25);
      // A new runner (as after a restart) resumes from the persisted cursor.
      await fx.store.audit.append(anAuditEvent());
      const again = createSinkRunner(fx.store, sink, { batchSize: 10, baseDelayMs: 5 });
      expect(await again.runOnce()).toBe(1);
      expect(r.got.at(-1)!.map((e) => e.seq)).toEqual([26]);
      expect(await fx.store.auditSinks.deadLetters('siem')).toEqual([]);
    } finally {
      r.server.close();
    }
  });

  it('webhook: a batch failing N times is dead-lettered and the sink moves on', async () => {
    const r = await receiver(3);
    try {
      const sink = createWebhookSink({ name: 'flaky', url: r.url, format: 'ocsf' });
      const runner = createSinkRunner(fx.store, sink, { batchSize: 20, baseDelayMs: 1, maxAttempts: 3 });
      await runner.runOnce();
      const letters = await fx.store.auditSinks.deadLetters('flaky');
      expect(letters).toMatchObject([
        { sink: 'flaky', fromSeq: 1, toSeq: 20, attempts: 3, error: 'webhook answered 503' },
      ]);
      expect(r.got).toHaveLength(1);
      expect(
        (r.got[0] as unknown as Array<{ class_uid: number; metadata: { sequence: number } }>).map(
          (o) => o.metadata.sequence,
        ),
      ).toEqual([21, 22, 23, 24, 25]);
    } finally {
      r.server.close();
    }
  });

  it('file sink writes OCSF lines', async () => {
    const file = path.join(fx.dataDir, 'audit.ocsf.jsonl');
    await createSinkRunner(fx.store, createFileSink({ path: file, format: 'ocsf' })).runOnce();
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(25);
    expect(lines[0]).toMatchObject({ metadata: { sequence: 1, product: { name: 'Keyward' } } });
    expect(new Set(lines.map((l) => l.class_uid))).toEqual(new Set([6003, 3001]));
  });

  it('retention archives and deletes a prefix; verification still passes from the retention checkpoint', async () => {
    const signer = await createEphemeralSigner();
    const all = await fx.store.audit.list({}, 1000);
    const archiveFile = path.join(fx.dataDir, 'archive.jsonl');
    const cutoff = new Date(all[10]!.time); // events 1..10 are older
    const result = await applyRetention({
      store: fx.store,
      signer,
      before: cutoff,
      archiveFile,
      now: () => new Date(),
    });
    expect(result).toMatchObject({
      cutSeq: 10,
      archived: 10,
      checkpoint: { kind: 'retention', seq: 10, hash: all[9]!.hash },
    });
    expect(await fx.store.audit.firstSeq()).toBe(11);
    const archived = readFileSync(archiveFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as AuditEvent);
    expect(archived.map((e) => e.seq)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    await fx.store.audit.append(anAuditEvent());
    expect(await verifyAuditLog(fx.store, { signer })).toMatchObject({
      ok: true,
      events: 16,
      firstSeq: 11,
      signaturesChecked: 1,
    });
    // Deleting past the anchor is still caught.
    await fx.raw('delete from audit_events where seq = 11');
    expect(await verifyAuditLog(fx.store, { signer })).toMatchObject({
      ok: false,
      firstBadSeq: 11,
      reason: 'deleted',
    });
  });

  it('retention never cuts past a sink that has not delivered yet', async () => {
    await fx.store.auditSinks.setCursor('slow', 4, new Date().toISOString());
    const signer = await createEphemeralSigner();
    const result = await applyRetention({
      store: fx.store,
      signer,
      before: new Date('2100-01-01'),
      archiveFile: path.join(fx.dataDir, 'a.jsonl'),
      now: () => new Date(),
    });
    expect(result.cutSeq).toBe(4);
    expect(await verifyAuditLog(fx.store, { signer })).toMatchObject({ ok: true, firstSeq: 5 });
  });
});
