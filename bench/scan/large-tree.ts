/**
 * The throughput corpus: `buildLargeTree(dir, { megabytes, files, seed })` writes a large tree of
 * realistic text (code in several languages, YAML/JSON configs, docs, SQL, logs), files of 1–50 KB
 * (log-uniform) plus a few of 0.5–3 MB, sized to `megabytes` MiB in total, with a sprinkle of true
 * secrets (one file in ~150) and decoys (one in ~80), all labelled. Generating 250 MiB takes a while,
 * so `largeTreeCached` keeps the tree in the temp dir under a name of its parameters and reuses
 * it while its label file (written last, beside the tree) exists.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { log } from '../bench-output.js';
import { createCorpusWriter, type Doc } from './corpus-doc.js';
import { EXTENSIONS, type FillerKind, filler, footer, header, nameParts } from './corpus-filler.js';
import type { DecoyLabel, SecretLabel } from './corpus-labels.js';
import { createRng, HEX, type Rng } from './corpus-random.js';
import { ecKey, ecPem } from './pem-keys.js';
import * as f from './secret-formats.js';

export interface LargeTreeOptions {
  megabytes: number;
  files: number;
  seed: number;
}

export interface LargeTree {
  dir: string;
  labels: SecretLabel[];
  decoys: DecoyLabel[];
  files: number;
  bytes: number;
}

const KINDS: [FillerKind, string, number][] = [
  ['ts', 'services/web/src', 18],
  ['py', 'services/ml/pipelines', 14],
  ['go', 'services/edge/internal', 12],
  ['java', 'services/core/src/main/java/com/acme', 10],
  ['rb', 'services/shop/app', 6],
  ['rs', 'crates/engine/src', 5],
  ['yaml', 'deploy/config', 8],
  ['json', 'data/fixtures', 6],
  ['md', 'docs', 7],
  ['sql', 'db/migrations', 4],
  ['sh', 'tools/scripts', 3],
  ['css', 'web/styles', 3],
  ['log', 'var/log', 4],
];

type Plant = (d: Doc, r: Rng) => string;
const tok =
  (provider: string, kind: string, make: (r: Rng) => string, template: (s: string) => string): Plant =>
  (d, r) =>
    template(d.s({ provider, kind, secret: make(r) }));

const SECRETS: Plant[] = [
  (d, r) =>
    `aws_access_key_id = "${d.s({ provider: 'aws', kind: 'aws-access-key-id', secret: f.awsKeyId(r) })}"\n` +
    `aws_secret_access_key = "${d.s({ provider: 'aws', kind: 'aws-secret-access-key', secret: f.awsSecretKey(r) })}"`,
  tok(
    'github',
    'github-classic',
    (r) => f.githubToken(r, 'ghp'),
    (s) => `GITHUB_TOKEN="${s}"`,
  ),
  tok('gitlab', 'gitlab-pat', f.gitlabToken, (s) => `  token: ${s}`),
  tok('slack', 'slack-bot-token', f.slackBot, (s) => `const slackToken = '${s}';`),
  tok(
    'stripe',
    'stripe-secret-key',
    (r) => f.stripeLive(r),
    (s) => `STRIPE_KEY = "${s}"`,
  ),
  tok('google', 'google-api-key', f.googleApiKey, (s) => `  "apiKey": "${s}",`),
  tok('npm', 'npm-token', f.npmToken, (s) => `//registry.npmjs.org/:_authToken=${s}`),
  tok('openai', 'openai-project-key', f.openaiKey, (s) => `OPENAI_API_KEY=${s}`),
  tok('anthropic', 'anthropic-api-key', f.anthropicKey, (s) => `client = Anthropic(api_key="${s}")`),
  tok('huggingface', 'huggingface-token', f.huggingFaceToken, (s) => `HF_TOKEN = '${s}'`),
  tok('keyward', 'keyward-api-token', f.keywardToken, (s) => `KEYWARD_TOKEN=${s}`),
  tok('sendgrid', 'sendgrid-api-key', f.sendgridKey, (s) => `sendgrid_api_key: "${s}"`),
  tok(
    'jwt',
    'jwt',
    (r) => f.hsJwt(r, 'https://auth.acme.dev', 'svc'),
    (s) => `Authorization: Bearer ${s}`,
  ),
  tok('generic', 'generic-password', f.password, (s) => `  password: "${s}"`),
  (d, r) => {
    const pw = f.urlPassword(r);
    const url = `postgres://svc:${pw}@db.internal:5432/app`;
    return `DATABASE_URL=${d.s({ provider: 'database', kind: 'postgres-url', secret: pw, text: url, alt: [url], match: 'location' })}`;
  },
  (d, r) => {
    const pem = ecPem(ecKey(r, 'large-tree')).trim();
    return d.s({
      provider: 'private-key',
      kind: 'ec-private-key',
      secret: pem,
      match: 'location',
      alt: [`${pem}\n`],
    });
  },
];

const DECOYS: ((d: Doc, r: Rng) => string)[] = [
  (d) => `aws_access_key_id = ${d.d('aws-example', 'AKIAIOSFODNN7EXAMPLE')}`,
  (d) => `api_key: ${d.d('placeholder', 'your-api-key-here')}`,
  (d, r) => `checksum = "sha256:${d.d('hash', r.chars(HEX, 64))}"`,
  (d, r) => `request_id = "${d.d('uuid', f.uuid(r))}"`,
  (d, r) => `commit: ${d.d('git-sha', r.chars(HEX, 40))}`,
  (d) => `token = ${d.d('env-ref', 'process.env.API_TOKEN')}`,
  (d, r) => `"integrity": "${d.d('integrity', `sha512-${r.bytes(64).toString('base64')}`)}"`,
];

function sizes(r: Rng, o: LargeTreeOptions): number[] {
  const out: number[] = [];
  for (let i = 0; i < o.files; i++) {
    out.push(r.chance(0.002) ? r.between(512_000, 3_000_000) : Math.round(1024 * 50 ** r.next()));
  }
  const total = out.reduce((a, b) => a + b, 0);
  const scale = (o.megabytes * 1024 * 1024) / total;
  return out.map((s) => Math.max(200, Math.round(s * scale)));
}

export function buildLargeTree(dir: string, o: LargeTreeOptions): LargeTree {
  rmSync(dir, { recursive: true, force: true });
  const r = createRng(o.seed);
  const w = createCorpusWriter(dir);
  const weights = KINDS.flatMap(([kind, base, weight]) =>
    Array.from({ length: weight }, () => [kind, base] as const),
  );
  const plan = sizes(r.fork('sizes'), o);
  for (const [i, size] of plan.entries()) {
    const [kind, base] = r.pick(weights);
    const n = nameParts(r);
    const path = `${base}/${n.noun}-${Math.floor(i / 40)}/${n.verb}-${n.adj}-${i}.${EXTENSIONS[kind]}`;
    const before = header(r, kind) + filler(r, kind, size * (0.2 + 0.6 * r.next()));
    const after = filler(r, kind, size - before.length) + footer(kind);
    const plantSecret = r.chance(1 / 150);
    const plantDecoy = r.chance(1 / 80);
    if (!plantSecret && !plantDecoy) {
      w.raw(path, before + after);
      continue;
    }
    w.file(path, (d) => {
      d.line(before.trimEnd());
      if (plantSecret) d.line(r.pick(SECRETS)(d, r));
      if (plantDecoy) d.line(r.pick(DECOYS)(d, r));
      d.line(after.trimEnd());
    });
  }
  return { dir, labels: w.labels, decoys: w.decoys, files: w.files, bytes: w.bytes };
}

/** The tree for these options from the temp dir, generated (and announced on stderr) when absent. */
export function largeTreeCached(o: LargeTreeOptions): LargeTree {
  const dir = join(tmpdir(), `keyward-scan-large-${o.megabytes}mib-${o.files}f-s${o.seed}-v2`);
  const manifest = `${dir}.labels.json`;
  if (existsSync(manifest) && existsSync(dir)) return JSON.parse(readFileSync(manifest, 'utf8')) as LargeTree;
  log(`generating the large tree (${o.megabytes} MiB, ${o.files} files) in ${dir} …`);
  const t = performance.now();
  const tree = buildLargeTree(dir, o);
  writeFileSync(manifest, JSON.stringify(tree));
  log(`  done in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  return tree;
}
