/**
 * The labelled corpus itself: built twice from one seed it is byte-identical, every label points at
 * lines that really hold its secret (in the file at HEAD, or in the commit's blob for history-only
 * labels), the decoys are there, and scoreFindings counts as documented.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git } from './corpus-history.js';
import { type ScoredFinding, type SecretLabel, scoreFindings } from './corpus-labels.js';
import { createRng } from './corpus-random.js';
import { buildCorpus, type Corpus } from './secret-corpus.js';
import { base62Checksum, crc32, githubToken } from './secret-formats.js';

const sha = (s: string) => `sha256:${createHash('sha256').update(s).digest('hex')}`;

function treeDigest(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(dir, prefix), { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    if (e.name === '.git') continue;
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...treeDigest(dir, rel));
    else out.push(`${rel} ${sha(readFileSync(join(dir, rel), 'utf8'))}`);
  }
  return out;
}

/** Whether some span of `text` between punctuation boundaries hashes to one of the label's fingerprints. */
function holdsSecret(text: string, label: SecretLabel): boolean {
  const wanted = new Set([label.fingerprint, ...label.altFingerprints]);
  if (!text.includes('\n')) {
    const bounds = [0, text.length];
    for (let i = 0; i < text.length; i++) if (!/[A-Za-z0-9]/.test(text[i]!)) bounds.push(i, i + 1);
    const sorted = [...new Set(bounds)].sort((a, b) => a - b);
    for (const i of sorted)
      for (const j of sorted) if (j > i && wanted.has(sha(text.slice(i, j)))) return true;
    return false;
  }
  if (label.kind === 'gcp-service-account') {
    const key = (JSON.parse(text) as { private_key: string }).private_key;
    return wanted.has(sha(key));
  }
  const pem = /-----BEGIN [A-Z ]+-----[\s\S]*?-----END [A-Z ]+-----/.exec(text)?.[0] ?? '';
  return wanted.has(
    sha(
      pem
        .split('\n')
        .map((l) => l.trim())
        .join('\n'),
    ),
  );
}

function spanOf(text: string, label: SecretLabel): string {
  return text
    .split('\n')
    .slice(label.line - 1, label.endLine)
    .join('\n');
}

let dir: string;
let corpus: Corpus;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kw-corpus-'));
  corpus = buildCorpus(join(dir, 'a'), 7);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('buildCorpus', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const again = buildCorpus(join(dir, 'b'), 7);
    expect(treeDigest(again.dir)).toEqual(treeDigest(corpus.dir));
    expect(again.labels).toEqual(corpus.labels);
    expect(again.decoys).toEqual(corpus.decoys);
    expect(git(again.repoDir, ['rev-parse', 'main', 'feature/payments'])).toBe(
      git(corpus.repoDir, ['rev-parse', 'main', 'feature/payments']),
    );
    const other = buildCorpus(join(dir, 'c'), 8);
    expect(other.labels.map((l) => l.fingerprint)).not.toEqual(corpus.labels.map((l) => l.fingerprint));
  });

  it('is a realistic small repository with many providers', () => {
    expect(corpus.files).toBeGreaterThanOrEqual(200);
    expect(corpus.files).toBeLessThanOrEqual(400);
    const providers = new Set(corpus.labels.map((l) => l.provider));
    for (const p of [
      'aws',
      'github',
      'gitlab',
      'slack',
      'stripe',
      'google',
      'gcp',
      'azure',
      'npm',
      'private-key',
    ]) {
      expect(providers).toContain(p);
    }
    for (const p of ['jwt', 'kubernetes', 'database', 'openai', 'anthropic', 'huggingface', 'keyward']) {
      expect(providers).toContain(p);
    }
    expect(corpus.labels.length).toBeGreaterThan(80);
  });

  it('labels at HEAD point at lines that hold the secret', () => {
    const head = corpus.labels.filter((l) => !l.historyOnly);
    expect(head.length).toBeGreaterThan(80);
    for (const l of head) {
      const text = readFileSync(join(corpus.dir, l.path), 'utf8');
      expect(holdsSecret(spanOf(text, l), l), `${l.kind} ${l.path}:${l.line}`).toBe(true);
    }
  });

  it('history-only labels are absent at HEAD and present in the blob of their commit', () => {
    const history = corpus.labels.filter((l) => l.historyOnly);
    expect(new Set(history.map((l) => l.path))).toEqual(
      new Set([
        'repo/config/.env.staging',
        'repo/config/settings.py',
        'repo/keys/old_id_rsa',
        'repo/payments/client.py',
      ]),
    );
    for (const l of history) {
      const rel = l.path.slice('repo/'.length);
      expect(l.commit).toMatch(/^[0-9a-f]{40}$/);
      const blob = git(corpus.repoDir, ['show', `${l.commit}:${rel}`]);
      expect(holdsSecret(spanOf(blob, l), l), `${l.kind} ${l.path}:${l.line}`).toBe(true);
      let atHead = '';
      try {
        atHead = readFileSync(join(corpus.dir, l.path), 'utf8');
      } catch {}
      expect(atHead.split('\n').some((line) => holdsSecret(line, l))).toBe(false);
    }
    // The side-branch secret is not on main at all.
    expect(
      git(corpus.repoDir, [
        'branch',
        '--contains',
        history.find((l) => l.path.includes('payments'))!.commit!,
      ]),
    ).toBe('feature/payments');
  });

  it('places decoys of every documented kind, on lines that hold no true secret', () => {
    const kinds = new Set(corpus.decoys.map((d) => d.kind));
    for (const k of [
      'aws-example',
      'placeholder',
      'env-ref',
      'hash',
      'git-sha',
      'uuid',
      'integrity',
      'public-key',
    ]) {
      expect(kinds).toContain(k);
    }
    for (const k of [
      'certificate',
      'data-uri',
      'bad-checksum',
      'gitignored',
      'password-hash',
      'jwt-example',
    ]) {
      expect(kinds).toContain(k);
    }
    const secretLines = new Set<string>();
    for (const l of corpus.labels.filter((x) => !x.historyOnly)) {
      for (let i = l.line; i <= l.endLine; i++) secretLines.add(`${l.path}:${i}`);
    }
    for (const d of corpus.decoys) {
      expect(secretLines.has(`${d.path}:${d.line}`), `${d.kind} ${d.path}:${d.line}`).toBe(false);
      expect(statSync(join(corpus.dir, d.path)).isFile()).toBe(true);
    }
    const readme = readFileSync(join(corpus.dir, 'README.md'), 'utf8');
    expect(readme).toContain('AKIAIOSFODNN7EXAMPLE');
  });
});

describe('secret formats', () => {
  it('computes CRC32 and the base62 checksum of GitHub tokens', () => {
    expect(crc32('123456789')).toBe(0xcbf43926);
    expect(base62Checksum('')).toBe('000000');
    const token = githubToken(createRng(1), 'ghp');
    expect(token).toMatch(/^ghp_[0-9A-Za-z]{36}$/);
    expect(token.slice(-6)).toBe(base62Checksum(token.slice(4, 34)));
  });
});

describe('scoreFindings', () => {
  const label = (over: Partial<SecretLabel>): SecretLabel => ({
    path: 'a.env',
    line: 1,
    endLine: 1,
    provider: 'stripe',
    kind: 'stripe-secret-key',
    fingerprint: sha('one'),
    altFingerprints: [],
    match: 'fingerprint',
    historyOnly: false,
    ...over,
  });
  const labels = [
    label({}),
    label({ line: 3, endLine: 3, fingerprint: sha('two'), altFingerprints: [sha('two-url')] }),
    label({
      path: 'k.pem',
      line: 1,
      endLine: 27,
      provider: 'private-key',
      match: 'location',
      fingerprint: sha('pem'),
    }),
    label({ path: 'b.yaml', line: 9, endLine: 9, fingerprint: sha('three') }),
  ];
  const f = (path: string, line: number, fingerprint?: string): ScoredFinding => ({
    path,
    line,
    fingerprint,
    ruleId: 'r',
  });

  it('counts matches once, location labels by line, others as false positives', () => {
    const s = scoreFindings(labels, [
      f('a.env', 1, sha('one')),
      f('a.env', 1, sha('one')), // duplicate
      f('a.env', 3, sha('two-url')), // alternative span
      f('k.pem', 1, sha('something else')), // location label
      f('a.env', 3, sha('other span')), // same line, other span: neither
      f('a.env', 5, sha('nothing')), // false positive
      f('b.yaml', 2, sha('one')), // right fingerprint, wrong file: false positive
    ]);
    expect(s.truePositives).toBe(3);
    expect(s.falsePositives).toBe(2);
    expect(s.offSpan).toHaveLength(1);
    expect(s.recall).toBeCloseTo(3 / 4);
    expect(s.precision).toBeCloseTo(3 / 5);
    expect(s.missed.map((l) => l.path)).toEqual(['b.yaml']);
  });

  it('credits by line alone with locationFallback, and handles the empty cases', () => {
    const s = scoreFindings(labels, [f('b.yaml', 9), f('a.env', 1)], { locationFallback: true });
    expect(s.truePositives).toBe(2);
    expect(s.falsePositives).toBe(0);
    expect(scoreFindings(labels, []).recall).toBe(0);
    expect(scoreFindings(labels, []).precision).toBe(1);
    expect(scoreFindings([], []).recall).toBe(1);
  });
});
