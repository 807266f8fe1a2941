import type { GraphPath, Human, Identity, Lineage, Page } from '@keyward/sdk';
import { describe, expect, it } from 'vitest';
import { errorLine } from './cli-errors.js';
import { renderLineage, renderPath } from './graph-views.js';
import { type ResolverClient, resolveHuman, resolveIdentity, resolveNode } from './name-resolver.js';
import { parseDate, parseLabel, parseSecretLocation } from './option-parsers.js';
import { renderDetail, renderTable, sensitivity } from './output-format.js';

const plain = { color: false };
const id = (prefix: string, n: number) => `${prefix}_${String(n).padStart(32, '0')}`;

function fakeApi<T>(items: T[]) {
  const calls: Array<{ q?: string }> = [];
  return {
    calls,
    async list(filter: { q?: string }): Promise<Page<T>> {
      calls.push(filter);
      const q = filter.q ?? '';
      return { items: items.filter((i) => JSON.stringify(i).includes(q)), nextCursor: null };
    },
  };
}

function fakeClient(
  identities: Array<Partial<Identity>>,
  humans: Array<Partial<Human>> = [],
): ResolverClient {
  return {
    identities: fakeApi(identities as Identity[]),
    humans: fakeApi(humans as Human[]),
    systems: fakeApi([]),
    resources: fakeApi([]),
  };
}

describe('name resolution', () => {
  it('passes well-formed ids through without a lookup', async () => {
    const client = fakeClient([]);
    expect(await resolveIdentity(client, id('nhi', 1))).toBe(id('nhi', 1));
  });

  it('resolves an exact name, ignoring substring matches', async () => {
    const client = fakeClient([
      { id: id('nhi', 1), name: 'ci-deployer' },
      { id: id('nhi', 2), name: 'ci-deployer-old' },
    ]);
    expect(await resolveIdentity(client, 'ci-deployer')).toBe(id('nhi', 1));
  });

  it('fails clearly on zero or several matches', async () => {
    const none = fakeClient([{ id: id('nhi', 1), name: 'other' }]);
    await expect(resolveIdentity(none, 'ci-deployer')).rejects.toMatchObject({ code: 'not_found' });
    const two = fakeClient([
      { id: id('nhi', 1), name: 'dup' },
      { id: id('nhi', 2), name: 'dup' },
    ]);
    await expect(resolveIdentity(two, 'dup')).rejects.toMatchObject({ code: 'ambiguous' });
  });

  it('resolves humans by email, case-insensitively', async () => {
    const client = fakeClient([], [{ id: id('hum', 1), email: 'ana@example.com' }]);
    expect(await resolveHuman(client, 'ana@example.com')).toBe(id('hum', 1));
  });

  it('resolves type:name and bare names across node types', async () => {
    const client = fakeClient(
      [{ id: id('nhi', 3), name: 'payments-api' }],
      [{ id: id('hum', 1), email: 'ana@x.io' }],
    );
    expect(await resolveNode(client, 'identity:payments-api')).toBe(id('nhi', 3));
    expect(await resolveNode(client, 'payments-api')).toBe(id('nhi', 3));
    expect(await resolveNode(client, 'human:ana@x.io')).toBe(id('hum', 1));
    await expect(resolveNode(client, 'nothing')).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('option parsers', () => {
  it('parses labels, secret locations and dates', () => {
    expect(parseLabel('team=pay=ments')).toEqual(['team', 'pay=ments']);
    expect(() => parseLabel('team')).toThrow(/key=value/);
    expect(parseSecretLocation('vault:kv/prod/app:key')).toEqual({ store: 'vault', ref: 'kv/prod/app:key' });
    expect(() => parseSecretLocation('vault')).toThrow(/store:ref/);
    expect(parseDate('2026-03-31')).toBe('2026-03-31T00:00:00.000Z');
    expect(parseDate('+10d', new Date('2025-01-01T00:00:00Z'))).toBe('2025-01-11T00:00:00.000Z');
    expect(() => parseDate('tomorrow')).toThrow(/invalid date/);
  });
});

describe('output formatting', () => {
  it('renders tables and detail views as plain text without a TTY', () => {
    const table = renderTable(['ID', 'NAME'], [['nhi_1', 'ci-deployer']], plain);
    expect(table).toContain('ci-deployer');
    expect(table).not.toContain('\u001b[');
    expect(renderTable(['ID'], [], plain)).toBe('(none)\n');
    expect(
      renderDetail(
        [
          ['name', 'x'],
          ['purpose', null],
        ],
        plain,
      ),
    ).toBe('name     x\npurpose  -\n');
  });

  it('colors sensitivity only when asked', () => {
    expect(sensitivity('critical', plain)).toBe('critical');
    expect(sensitivity('critical', { color: true })).toContain('\u001b[31m');
  });

  it('renders lineage as a tree', () => {
    const node = (n: string, type: 'identity' | 'human' = 'identity') => ({
      id: n,
      type,
      name: n,
      kind: type === 'identity' ? 'agent' : null,
      status: null,
      sensitivity: null,
      environment: 'prod',
    });
    const lineage: Lineage = {
      subject: node('agent'),
      ancestors: [
        {
          node: node('ana', 'human'),
          depth: 1,
          via: 'sponsors',
          path: [{ fromId: 'agent', toId: 'ana', kind: 'sponsors', reversed: true, actions: [] }],
        },
      ],
      descendants: [
        {
          node: node('sub'),
          depth: 1,
          via: 'delegates_to',
          path: [{ fromId: 'agent', toId: 'sub', kind: 'delegates_to', reversed: false, actions: [] }],
        },
        {
          node: node('subsub'),
          depth: 2,
          via: 'delegates_to',
          path: [
            { fromId: 'agent', toId: 'sub', kind: 'delegates_to', reversed: false, actions: [] },
            { fromId: 'sub', toId: 'subsub', kind: 'delegates_to', reversed: false, actions: [] },
          ],
        },
      ],
    };
    const text = renderLineage(lineage, plain);
    expect(text).toContain('└─ ← sponsors: ana (human, prod)');
    expect(text).toContain('└─ → delegates_to: sub (identity agent, prod)');
    expect(text).toContain('   └─ → delegates_to: subsub');
  });

  it('renders a path as numbered hops', () => {
    const n = (name: string) => ({
      id: name,
      type: 'identity' as const,
      name,
      kind: 'service_account',
      status: null,
      sensitivity: null,
      environment: 'prod',
    });
    const path: GraphPath = {
      from: n('ci'),
      to: n('admin'),
      reachable: true,
      steps: [{ fromId: 'ci', toId: 'admin', kind: 'can_assume', reversed: false, actions: [] }],
      nodes: [n('ci'), n('admin')],
    };
    const text = renderPath(path, plain);
    expect(text).toContain('Path from ci to admin (1 hops)');
    expect(text).toMatch(/1\. ci .*\n.*can_assume\n\s+2\. admin/);
    expect(renderPath({ ...path, reachable: false, steps: [], nodes: [] }, plain)).toMatch(/^No path/);
  });
});

describe('error lines', () => {
  it('is one line with the code and masks the token', () => {
    const error = Object.assign(new Error('bad token kw_secret123\nsecond line'), {
      code: 'unauthenticated',
    });
    expect(errorLine(error, ['kw_secret123'])).toBe('error: bad token *** second line (unauthenticated)');
    expect(errorLine(new Error('boom'))).toBe('error: boom (internal)');
  });
});
