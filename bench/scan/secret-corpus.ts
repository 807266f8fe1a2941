/**
 * The labelled secret corpus (issue 14): `buildCorpus(dir, seed)` writes a small, realistic
 * monorepo (~300 files: services in TypeScript, Python, Go, Java, Ruby and Rust, env files, JSON,
 * YAML, TOML, INI and properties configs, Dockerfiles, CI workflows, Terraform, Kubernetes
 * manifests, shell scripts, a notebook, docs, lockfiles, test fixtures, key files) and a git
 * repository `repo/` with history-only secrets, and returns the answer key: one label per placement
 * of a true secret and one per decoy.
 *
 * True secrets are generated at run time from the seed in each provider's real format (see
 * secret-formats.ts), so nothing real-looking is committed and one seed gives the same bytes.
 *
 * Decoys (which a scanner must not report), by kind: aws-example (AWS's documented example key
 * pair), placeholder (`your-api-key-here`, `<token>`, `${X}`, `changeme`, `xxxxxxxx`, all-x or
 * all-zero token shapes), env-ref (process.env.X, os.environ, `${{ secrets.X }}`, var.x, Helm
 * templates), hash (md5/sha1/sha256 hex, go.sum h1:, image digests), git-sha, uuid, integrity
 * (lockfile sha512-), public-key and certificate, data-uri / base64-image, url-id and random-id,
 * minified (bundle chunk maps), password-hash (bcrypt), encrypted (SealedSecret ciphertext),
 * sentry-dsn (a public DSN key), keyword-non-secret (a credential keyword whose value is a header
 * name, a length, a secret's *name*), jwt-example (the jwt.io sample token, published everywhere),
 * bad-checksum (a `ghp_` token whose CRC32 checksum does not verify: GitHub never issued it, so a
 * scanner that validates the checksum is right to drop it), gitignored (real-format secrets in
 * `dist/` and `*.log`, which .gitignore excludes from a scan).
 */
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeAppFiles } from './corpus-app-files.js';
import { writeDecoyFiles } from './corpus-decoy-files.js';
import { createCorpusWriter } from './corpus-doc.js';
import { EXTENSIONS, type FillerKind, filler, footer, header, nameParts } from './corpus-filler.js';
import { buildHistoryRepo } from './corpus-history.js';
import { writeInfraFiles } from './corpus-infra-files.js';
import type { DecoyLabel, SecretLabel } from './corpus-labels.js';
import { createRng, type Rng } from './corpus-random.js';

export interface Corpus {
  dir: string;
  /** The git repository inside the corpus (`<dir>/repo`). */
  repoDir: string;
  /** Every true secret: at HEAD (historyOnly false) and in repo/ history only (historyOnly true). */
  labels: SecretLabel[];
  decoys: DecoyLabel[];
  /** Files and bytes on disk, outside `.git`. */
  files: number;
  bytes: number;
}

const FILLER_PLAN: [dir: string, kind: FillerKind, count: number][] = [
  ['services/api/src/modules', 'ts', 40],
  ['services/worker/app/jobs', 'py', 30],
  ['services/billing/internal', 'go', 25],
  ['services/legacy/src/main/java/com/acme/legacy', 'java', 22],
  ['services/ruby-app/app/queries', 'rb', 18],
  ['tools/reconcile/src', 'rs', 12],
  ['scripts/ops', 'sh', 10],
  ['migrations', 'sql', 14],
  ['web/src/styles', 'css', 10],
  ['docs/guides', 'md', 18],
  ['config/services', 'yaml', 14],
  ['config/features', 'json', 10],
];

function writeFiller(w: ReturnType<typeof createCorpusWriter>, r: Rng): void {
  for (const [dir, kind, count] of FILLER_PLAN) {
    const used = new Set<string>();
    for (let i = 0; i < count; i++) {
      const n = nameParts(r);
      let name = `${n.verb}-${n.noun}`;
      if (kind === 'java') name = `${n.Type}${n.verb[0]!.toUpperCase()}${n.verb.slice(1)}er`;
      if (kind === 'py' || kind === 'rb' || kind === 'rs') name = `${n.verb}_${n.noun}`;
      if (used.has(name)) name += `-${i}`;
      used.add(name);
      const num = kind === 'sql' ? `${String(i + 10).padStart(4, '0')}_` : '';
      const body = header(r, kind) + filler(r, kind, r.between(600, 7000)) + footer(kind);
      w.raw(`${dir}/${num}${name}.${EXTENSIONS[kind]}`, body);
    }
  }
}

function measure(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === '.git') continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      const m = measure(full);
      files += m.files;
      bytes += m.bytes;
    } else if (entry.isFile()) {
      files++;
      bytes += statSync(full).size;
    }
  }
  return { files, bytes };
}

/** Writes the corpus into `dir` (emptied first) and returns its labels. */
export function buildCorpus(dir: string, seed = 14): Corpus {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const root = createRng(seed);
  const w = createCorpusWriter(dir);
  writeAppFiles(w, root.fork('app'));
  writeInfraFiles(w, root.fork('infra'));
  writeDecoyFiles(w, root.fork('decoys'));
  writeFiller(w, root.fork('filler'));
  const repoDir = join(dir, 'repo');
  const history = buildHistoryRepo(repoDir, root.fork('history'));
  return {
    dir,
    repoDir,
    labels: [...w.labels, ...history.writer.labels],
    decoys: [...w.decoys, ...history.writer.decoys],
    ...measure(dir),
  };
}
