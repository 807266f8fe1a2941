import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRuleFile } from '../../src/discovery/scan/rule-file.js';
import { toSarif } from '../../src/discovery/scan/scan-output.js';
import type { ScanResult } from '../../src/discovery/scan/scan-types.js';

const result: ScanResult = {
  findings: [
    {
      ruleId: 'github-token',
      provider: 'github',
      severity: 'high',
      description: 'GitHub token',
      redacted: 'ghp_…WXYZ',
      fingerprint: `sha256:${'a'.repeat(64)}`,
      identifiers: { lastEight: 'abcdWXYZ' },
      location: { path: 'src/app.ts', line: 3, column: 9 },
    },
    {
      ruleId: 'generic-secret',
      provider: 'generic',
      severity: 'low',
      description: 'High-entropy value',
      redacted: 'Ab…yz',
      fingerprint: `sha256:${'b'.repeat(64)}`,
      identifiers: {},
      location: {
        path: '/repo/old.env',
        line: 1,
        column: 5,
        commit: 'c0ffee',
        author: 'A <a@x>',
        date: '2024-01-01T00:00:00Z',
        historyOnly: true,
      },
    },
  ],
  problems: [{ path: 'big.bin', reason: 'too large' }],
  stats: { files: 2, bytes: 10, skipped: {}, durationMs: 1 },
};

describe('toSarif', () => {
  it('writes SARIF 2.1.0 with rules, levels, relative locations, fingerprints and history properties', () => {
    const sarif = toSarif(result, { toolVersion: '0.1.0', root: '/repo' });
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.$schema).toMatch(/sarif-2\.1\.0/);
    const run = sarif.runs[0]!;
    expect(run.tool.driver).toMatchObject({ name: 'keyward', version: '0.1.0' });
    expect(
      run.tool.driver.rules.map((r) => [
        r.id,
        r.defaultConfiguration.level,
        r.properties['security-severity'],
      ]),
    ).toEqual([
      ['github-token', 'error', '8.0'],
      ['generic-secret', 'note', '3.0'],
    ]);
    expect(run.originalUriBaseIds['%SRCROOT%'].uri).toBe('file:///repo/');
    const [a, b] = run.results;
    expect(a).toMatchObject({
      ruleId: 'github-token',
      ruleIndex: 0,
      level: 'error',
      partialFingerprints: { 'keyward/v1': `sha256:${'a'.repeat(64)}` },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'src/app.ts', uriBaseId: '%SRCROOT%' },
            region: { startLine: 3, startColumn: 9 },
          },
        },
      ],
    });
    expect(a!.message.text).toContain('ghp_…WXYZ');
    expect(b!.locations[0]!.physicalLocation.artifactLocation.uri).toBe('old.env');
    expect(b!.properties).toMatchObject({ commit: 'c0ffee', author: 'A <a@x>', historyOnly: true });
    expect(run.invocations?.[0]?.toolExecutionNotifications).toHaveLength(1);
  });
});

describe('loadRuleFile', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kw-rules-'));
  const file = (name: string, text: string) => {
    const p = path.join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  it('loads YAML and JSON rules, renaming the secret group', async () => {
    const rules = await loadRuleFile(
      file(
        'r.yaml',
        "rules:\n  - id: acme-key\n    description: ACME\n    severity: high\n    keywords: [acme_]\n    pattern: 'acme_(?<key>[a-z0-9]{32})'\n    flags: i\n    secretGroup: key\n    allow: ['acme_0{32}']\n",
      ),
    );
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({
      id: 'acme-key',
      provider: 'custom',
      severity: 'high',
      keywords: ['acme_'],
    });
    expect(rules[0]!.pattern.source).toContain('(?<secret>');
    expect(rules[0]!.pattern.flags).toBe('i');
    const json = await loadRuleFile(
      file('r.json', JSON.stringify({ rules: [{ id: 'x-y', keywords: ['xy'], pattern: 'xy[0-9]{8}' }] })),
    );
    expect(json[0]).toMatchObject({ id: 'x-y', severity: 'medium' });
  });

  it.each([
    ['rules: {}', /expected a "rules" list/],
    ['rules:\n  - id: Bad_Id\n    keywords: [a]\n    pattern: a', /\/rules\/0\/id: must be a kebab-case/],
    [
      'rules:\n  - {id: a, keywords: [ab], pattern: x}\n  - {id: a, keywords: [ab], pattern: y}',
      /\/rules\/1\/id: duplicate id/,
    ],
    ['rules:\n  - {id: a, keywords: [], pattern: x}', /\/rules\/0\/keywords/],
    [
      'rules:\n  - {id: a, keywords: [ab], pattern: "([a-z"}',
      /\/rules\/0\/pattern: not a valid regular expression/,
    ],
    ['rules:\n  - {id: a, keywords: [ab], pattern: "(a+)+b"}', /nested quantifiers/],
    ['rules:\n  - {id: a, keywords: [ab], pattern: "ab", severity: huge}', /\/rules\/0\/severity/],
    ['rules:\n  - {id: a, keywords: [ab], pattern: "ab", secretGroup: nope}', /\/rules\/0\/secretGroup/],
    ['rules: [: bad', /not valid JSON or YAML/],
  ])('rejects %j', async (text, message) => {
    const p = file('bad.yaml', text);
    await expect(loadRuleFile(p)).rejects.toMatchObject({
      code: 'validation_failed',
      message: expect.stringMatching(message),
    });
    await expect(loadRuleFile(p)).rejects.toThrow(p);
  });

  it('rejects a missing file', async () => {
    await expect(loadRuleFile(path.join(dir, 'none.yaml'))).rejects.toMatchObject({
      code: 'validation_failed',
    });
  });
});
