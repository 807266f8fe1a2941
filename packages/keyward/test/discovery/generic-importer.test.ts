/**
 * The generic importer on the example CSV (custom columns needing --map), JSON and NDJSON
 * inventories and on broken input: fields found by name and alias, `--map` overrides and its
 * errors, permissions and assumes as edges, problems with their file and line, duplicates, dates;
 * then a batch applied to a real SQLite store twice and once with a row gone.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAuditRecorder } from '../../src/audit/audit-recorder.js';
import type { ImportBatch, ImportFile } from '../../src/discovery/import-batch.js';
import { createImportService } from '../../src/discovery/import-service.js';
import { targetOf } from '../../src/discovery/importers/generic/column-mapping.js';
import { parseGeneric } from '../../src/discovery/importers/generic/generic-importer.js';
import { detectDelimiter } from '../../src/discovery/importers/generic/generic-rows.js';
import { parseDate, parseKind } from '../../src/discovery/importers/generic/generic-values.js';
import { createLeakFindings } from '../../src/discovery/leak-findings.js';
import { loadGraphIndex } from '../../src/graph/graph-loader.js';
import { openStore } from '../../src/storage/open-store.js';
import type { Store } from '../../src/storage/storage-types.js';

const root = join(import.meta.dirname, '../../../..');
const SAAS = 'examples/discovery/generic/saas-keys.csv';
const JSON_INV = 'examples/discovery/generic/inventory.json';
const NDJSON = 'examples/discovery/generic/inventory.ndjson';
const fixture = (name: string) => `packages/keyward/test/discovery/fixtures/generic/${name}`;
const file = (path: string): ImportFile => ({ path, text: readFileSync(join(root, path), 'utf8') });
const SAAS_MAP = {
  'Team Lead': 'owner_email',
  Category: 'kind',
  'Key Ref': 'credential_id',
  Notes: 'purpose',
  'Is AI Agent': 'agent',
};

const identity = (b: ImportBatch, id: string) => b.identities.find((i) => i.externalId === id);

describe('generic importer: CSV', () => {
  it('reads the SaaS key sheet with --map: BOM, `;`, quoted newlines, aliases, agents, credentials', () => {
    const b = parseGeneric([file(SAAS)], { scope: 'csv:saas', mapping: SAAS_MAP });
    expect(b).toMatchObject({ source: 'generic', scope: 'csv:saas', feed: 'records' });
    expect(b.counts).toEqual({ 'CSV row': 5, 'empty row (skipped)': 1 });
    expect(b.identities.map((i) => i.externalId)).toEqual([
      'stripe-billing',
      'sendgrid-mailer',
      'support-copilot',
      'datadog-ingest',
    ]);
    expect(identity(b, 'stripe-billing')).toMatchObject({
      name: 'stripe-billing',
      kind: 'api_key',
      environment: 'prod',
      ownerEmail: 'ada@example.com',
      purpose: 'Billing backend key; rotated by hand',
      labels: { team: 'payments' },
      firstSeen: '2023-04-12T00:00:00.000Z',
      lastSeen: '2026-05-19T08:30:00.000Z',
      foundIn: { file: SAAS, line: 2 },
    });
    // The first row spans two lines (a quoted newline), so the next starts on line 4.
    expect(identity(b, 'sendgrid-mailer')?.foundIn.line).toBe(4);
    expect(identity(b, 'sendgrid-mailer')?.credential?.expiresAt).toBe('2026-12-31T00:00:00.000Z');
    expect(identity(b, 'support-copilot')).toMatchObject({
      kind: 'agent',
      agentSignals: ['marked as an AI agent in csv:saas'],
    });
    expect(identity(b, 'stripe-billing')?.agentSignals).toBeUndefined();
    expect(b.credentials.find((c) => c.identity === 'stripe-billing')).toMatchObject({
      externalId: 'sk_live_…0001',
      kind: 'api_key',
      status: 'active',
      hint: '0b11e001',
    });
    expect(b.edges.find((e) => e.from === 'stripe-billing')).toMatchObject({
      kind: 'has_permission',
      to: 'resource:stripe',
      actions: ['charges:write', 'refunds:write'],
    });
    expect(b.resources.map((r) => r.name)).toEqual(['stripe', 'sendgrid', 'zendesk', 'datadog']);
    expect(b.problems).toEqual([
      {
        file: SAAS,
        line: 8,
        severity: 'error',
        reason: expect.stringMatching(/^unknown kind "ftp user" for legacy-ftp; skipped/),
      },
    ]);
  });

  it('without --map, says which columns it did not import and finds no owners', () => {
    const b = parseGeneric([file(SAAS)], { scope: 'csv:saas' });
    const warning = b.problems.find((p) => /columns not imported/.test(p.reason));
    expect(warning?.reason).toContain('Team Lead, Category, Key Ref');
    expect(b.identities.every((i) => i.ownerEmail === undefined)).toBe(true);
  });

  it('rejects a --map target that is no Keyward field with one error naming the valid fields', () => {
    const b = parseGeneric([file(SAAS)], {
      scope: 'csv:saas',
      mapping: { ...SAAS_MAP, 'Team Lead': 'boss' },
    });
    const errors = b.problems.filter((p) => p.file === '--map');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.reason).toMatch(/boss is not a Keyward field; valid fields: name, kind, external_id/);
    expect(errors[0]?.reason).toContain('label.<key>');
    expect(b.identities).toHaveLength(4);
  });

  it('needs a scope', () => {
    const b = parseGeneric([file(SAAS)], {});
    expect(b.scope).toBe('');
    expect(b.identities).toEqual([]);
    expect(b.problems).toEqual([
      { file: SAAS, severity: 'error', reason: 'the generic importer needs a scope (--source)' },
    ]);
  });

  it('reports bad rows by line and imports the rest: tabs, dates, duplicates, extra fields, open quotes', () => {
    const path = fixture('bad-rows.csv');
    const b = parseGeneric([file(path)], { scope: 'csv:bad' });
    const byLine = (line: number) => b.problems.filter((p) => p.line === line).map((p) => p.severity);
    expect(byLine(2)).toEqual(['warning']); // expires_at not a date: dropped
    expect(byLine(3)).toEqual(['error']); // unknown kind
    expect(byLine(4)).toEqual(['error']); // more fields than the header
    expect(byLine(6)).toEqual(['warning']); // a-1 again: the later row wins
    expect(byLine(8)).toEqual(['error']); // quote never closed
    expect(b.problems.every((p) => p.file === path)).toBe(true);
    expect(b.identities.map((i) => i.externalId)).toEqual(['a-1', 'd-1']);
    expect(identity(b, 'a-1')).toMatchObject({
      name: 'alpha-renamed',
      ownerEmail: 'grace@example.com',
      firstSeen: '2024-01-02T10:00:00.000Z',
      credential: { expiresAt: '2027-01-01T00:00:00.000Z' },
    });
    expect(b.edges.map((e) => [e.from, e.to, e.actions])).toEqual([['a-1', 'resource:db', ['write']]]);
    expect(identity(b, 'd-1')).toMatchObject({
      labels: { owner: 'not-an-email' },
      firstSeen: '2024-01-02T08:00:00.000Z',
    });
    expect(identity(b, 'd-1')?.ownerEmail).toBeUndefined();
    expect(b.counts['empty row (skipped)']).toBe(1);
  });
});

describe('generic importer: JSON and NDJSON', () => {
  it('reads {records: [...]} with aliases, label objects, permissions, cross-scope grants and assumes', () => {
    const b = parseGeneric([file(JSON_INV)], { scope: 'csv:vault', environment: 'staging' });
    expect(b.problems).toEqual([]);
    expect(b.counts).toEqual({ 'JSON record': 3 });
    expect(identity(b, 'approle/ci')).toMatchObject({
      name: 'vault-approle/ci',
      businessSystem: 'delivery',
      reviewDate: '2026-12-01T00:00:00.000Z',
      labels: { team: 'platform', 'managed-by': 'terraform' },
      credential: { lastRotatedAt: '2026-01-15T00:00:00.000Z' },
      foundIn: { file: JSON_INV, path: '/records/0' },
    });
    expect(identity(b, 'approle/deployer')).toMatchObject({
      kind: 'service_account',
      ownerEmail: 'grace@example.com',
      purpose: 'applies releases',
    });
    expect(identity(b, 'openai-research-agent')).toMatchObject({ kind: 'agent', environment: 'dev' });
    const edges = b.edges.map((e) => [e.kind, e.from, e.to, e.actions ?? []]);
    expect(edges).toEqual([
      ['has_permission', 'approle/ci', 'resource:vault:secret/deploy/*', ['read']],
      ['has_permission', 'approle/ci', 'resource:vault:secret/shared/*', ['list', 'read']],
      ['can_assume', 'approle/ci', 'approle/deployer', []],
      ['has_permission', 'approle/deployer', 'resource:vault:secret/deploy/*', ['write']],
      ['has_permission', 'approle/deployer', 'aws:111122223333|arn:aws:s3:::releases/*', ['s3:PutObject']],
    ]);
    // A cross-scope grant names a record of another import: no resource is made for it here.
    expect(b.resources.map((r) => r.externalId)).toEqual([
      'resource:vault:secret/deploy/*',
      'resource:vault:secret/shared/*',
    ]);
    expect(b.credentials.find((c) => c.identity === 'openai-research-agent')).toMatchObject({
      externalId: 'sk-proj-…0003',
      kind: 'api_key',
      hint: 'a1b2c3d4',
    });
  });

  it('reads NDJSON by line, skipping bad lines with their line number', () => {
    const good = parseGeneric([file(NDJSON)], { scope: 'csv:ops' });
    expect(good.problems).toEqual([]);
    expect(good.identities.map((i) => [i.externalId, i.kind, i.foundIn.line])).toEqual([
      ['pagerduty-events', 'api_key', 1],
      ['jira-sync-bot', 'bot', 2],
      ['okta-scim', 'oauth_app', 4],
    ]);
    expect(good.credentials.find((c) => c.identity === 'okta-scim')?.status).toBe('revoked');
    const path = fixture('broken.ndjson');
    const bad = parseGeneric([file(path)], { scope: 'csv:ops' });
    expect(bad.problems.map((p) => [p.file, p.line, p.severity])).toEqual([
      [path, 2, 'error'],
      [path, 3, 'error'],
    ]);
    expect(bad.identities.map((i) => i.externalId)).toEqual(['one', 'three']);
  });

  it('never throws on documents that are not inventories', () => {
    const docs = ['{"nope": 1}', '[1, null, {"name": ""}]', '{', '', 'only-a-header'];
    const b = parseGeneric(
      docs.map((text, i) => ({ path: `x${i}.${i < 3 ? 'json' : 'csv'}`, text })),
      { scope: 'csv:junk' },
    );
    expect(b.identities).toEqual([]);
    expect(b.problems.map((p) => [p.file, p.path ?? p.line ?? null])).toEqual([
      ['x0.json', null],
      ['x1.json', '/0'],
      ['x1.json', '/1'],
      ['x2.json', 1],
      ['x3.csv', null],
    ]);
    // `{"name": ""}` holds nothing: an empty row, skipped like an empty CSV line.
    expect(b.counts['empty row (skipped)']).toBe(1);
  });
});

describe('generic importer: values', () => {
  it('reads the dates people type and refuses the rest', () => {
    expect(parseDate('2024-01-02')).toBe('2024-01-02T00:00:00.000Z');
    expect(parseDate('2024-01-02 10:00:00')).toBe('2024-01-02T10:00:00.000Z');
    expect(parseDate('2024-01-02T10:00:00+0200')).toBe('2024-01-02T08:00:00.000Z');
    expect(parseDate('2024-01-02T10:00:00.5Z')).toBe('2024-01-02T10:00:00.500Z');
    for (const bad of ['2024-02-30', '02/01/2024', 'yesterday', '2024-13-01'])
      expect(parseDate(bad)).toBeUndefined();
  });

  it('matches fields and kinds ignoring case, spaces and underscores', () => {
    expect(targetOf('Service Name')).toEqual({ field: 'name' });
    expect(targetOf('OWNER_EMAIL')).toEqual({ field: 'owner_email' });
    expect(targetOf('key-id')).toEqual({ field: 'credential_id' });
    expect(targetOf('label.cost center')).toEqual({ label: 'cost center' });
    expect(targetOf('Team Lead')).toBeUndefined();
    expect(parseKind('Service Account')).toBe('service_account');
    expect(parseKind('API key')).toBe('api_key');
    expect(parseKind('app')).toBe('oauth_app');
    expect(parseKind('ftp user')).toBeUndefined();
    expect(detectDelimiter('a;b;"c,d"\n1;2;3')).toBe(';');
    expect(detectDelimiter('a\tb\n')).toBe('\t');
    expect(detectDelimiter('single')).toBe(',');
  });
});

describe('generic importer into the inventory', () => {
  let dir: string | undefined;
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('applies idempotently and marks a row gone from the sheet', async () => {
    dir = mkdtempSync(join(tmpdir(), 'kw-generic-'));
    const s = await openStore({ backend: 'sqlite', file: join(dir, 'kw.db') });
    store = s;
    await s.migrate();
    const now = () => new Date('2026-06-01T00:00:00Z');
    const audit = createAuditRecorder(now);
    const imports = createImportService({
      store: s,
      graph: await loadGraphIndex(s),
      audit,
      now,
      leaks: createLeakFindings({ audit }),
      parsers: { generic: parseGeneric } as never,
    });
    const options = { scope: 'csv:saas', mapping: SAAS_MAP };
    const first = await imports.importFiles('tester', { source: 'generic', files: [file(SAAS)], options });
    expect(first.run.summary.created).toEqual({ identity: 4, resource: 4, edge: 4, credential: 3 });
    const again = await imports.importFiles('tester', { source: 'generic', files: [file(SAAS)], options });
    expect(again.run.summary.created).toEqual({ identity: 0, resource: 0, edge: 0, credential: 0 });
    expect(again.run.summary.updated).toEqual({ identity: 0, resource: 0, edge: 0, credential: 0 });
    const text = file(SAAS).text.replace(/^datadog-ingest.*\n/m, '');
    const third = await imports.importFiles('tester', {
      source: 'generic',
      files: [{ path: SAAS, text }],
      options,
    });
    expect(third.run.summary.missing).toMatchObject({ identity: 1, edge: 1, credential: 1 });
    const gone = (await s.identities.getByName('datadog-ingest'))!;
    expect(gone.labels['kw.missing_since']).toBe('2026-06-01T00:00:00.000Z');
    expect(gone.origin).toBe('csv');
  });
});
