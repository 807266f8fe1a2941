/**
 * The benchmark's long history: feat/history's `makeHistoryRepo` (a `git fast-import` stream of
 * `commits` commits, side branches every 1,000 commits) with a handful of labelled secrets planted
 * along the way (some on side branches, so only history holds them), then checked out so the
 * repository looks like a clone. Cached in the temp dir under a name of its parameters, like the
 * large tree.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { log } from '../bench-output.js';
import { renderDoc } from './corpus-doc.js';
import { git } from './corpus-history.js';
import type { SecretLabel } from './corpus-labels.js';
import { createRng } from './corpus-random.js';
import { makeHistoryRepo } from './history-repo.js';
import * as f from './secret-formats.js';

export interface BenchHistory {
  dir: string;
  commits: number;
  labels: SecretLabel[];
}

const BRANCH_EVERY = 1000;
const BRANCH_LENGTH = 25;

export async function historyRepoCached(commits: number, seed: number): Promise<BenchHistory> {
  const dir = join(tmpdir(), `keyward-scan-history-${commits}c-s${seed}-v1`);
  const manifest = `${dir}.labels.json`;
  if (existsSync(manifest) && existsSync(dir))
    return JSON.parse(readFileSync(manifest, 'utf8')) as BenchHistory;
  log(`generating the ${commits}-commit history in ${dir} …`);
  const t = performance.now();
  rmSync(dir, { recursive: true, force: true });
  const r = createRng(seed);
  const labels: SecretLabel[] = [];
  const plantAt = new Set([0.0137, 0.2003, 0.4511, 0.7005, 0.9876].map((x) => Math.floor(x * commits)));
  await makeHistoryRepo(dir, {
    commits,
    seed,
    branchEvery: BRANCH_EVERY,
    branchLength: BRANCH_LENGTH,
    plant: (i) => {
      if (!plantAt.has(i)) return undefined;
      const path = `config/leaked-${i}.env`;
      const onSide = i >= BRANCH_EVERY && i % BRANCH_EVERY < BRANCH_LENGTH;
      const doc = renderDoc((d) => {
        d.line(`# commit ${i}`, 'APP_ENV=production');
        d.line(
          `AWS_ACCESS_KEY_ID=${d.s({ provider: 'aws', kind: 'aws-access-key-id', secret: f.awsKeyId(r) })}`,
        );
        d.line(
          `AWS_SECRET_ACCESS_KEY=${d.s({ provider: 'aws', kind: 'aws-secret-access-key', secret: f.awsSecretKey(r) })}`,
        );
        d.line(
          `GITHUB_TOKEN=${d.s({ provider: 'github', kind: 'github-classic', secret: f.githubToken(r, 'ghp') })}`,
        );
      });
      labels.push(...doc.secrets.map((s) => ({ ...s, path, historyOnly: onSide })));
      return { path, content: doc.content };
    },
  });
  git(dir, ['checkout', '-q', '-f', 'main']);
  const repo: BenchHistory = { dir, commits, labels };
  writeFileSync(manifest, JSON.stringify(repo));
  log(`  done in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  return repo;
}
