/**
 * The corpus's git repository (`repo/`), built with the git CLI at fixed dates and authors (so its
 * commit ids are the same on every run), holding secrets that only history knows: a file added with
 * secrets and deleted later, a secret line rewritten to an env lookup, a private key committed and
 * removed, and a side branch never merged, next to secrets still present at HEAD. Each label of a
 * secret records the commit that added it.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { pemSpec } from './corpus-app-files.js';
import type { CorpusWriter } from './corpus-doc.js';
import { createCorpusWriter } from './corpus-doc.js';
import { filler, header } from './corpus-filler.js';
import type { SecretLabel } from './corpus-labels.js';
import type { Rng } from './corpus-random.js';
import { rsaKey, rsaPem } from './pem-keys.js';
import * as f from './secret-formats.js';

export const AUTHORS = {
  alice: 'Alice Example <alice@acme.dev>',
  bob: 'Bob Example <bob@acme.dev>',
  carol: 'Carol Example <carol@acme.dev>',
  dave: 'Dave Example <dave@acme.dev>',
} as const;

export function git(cwd: string, args: string[], env: Record<string, string> = {}): string {
  return execFileSync('git', ['-c', 'core.hooksPath=/dev/null', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

/** Builds `repoDir` and returns its labels (paths prefixed `repo/`). */
export function buildHistoryRepo(repoDir: string, r: Rng): { labels: SecretLabel[]; writer: CorpusWriter } {
  mkdirSync(repoDir, { recursive: true });
  const w = createCorpusWriter(repoDir, 'repo/');
  git(repoDir, ['init', '-q', '-b', 'main']);
  let day = 5;
  const commit = (
    who: keyof typeof AUTHORS,
    message: string,
    labels: SecretLabel[],
    historyOnly: boolean,
  ) => {
    const [, name, email] = /^(.*) <(.*)>$/.exec(AUTHORS[who])!;
    const date = `2026-01-${String(day++).padStart(2, '0')}T09:30:00Z`;
    git(repoDir, ['add', '-A']);
    git(repoDir, ['commit', '-q', '-m', message], {
      GIT_AUTHOR_NAME: name!,
      GIT_AUTHOR_EMAIL: email!,
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_NAME: name!,
      GIT_COMMITTER_EMAIL: email!,
      GIT_COMMITTER_DATE: date,
    });
    const sha = git(repoDir, ['rev-parse', 'HEAD']);
    for (const l of labels) {
      l.commit = sha;
      l.historyOnly = historyOnly;
    }
  };

  // 1: the app, a staging env file (deleted in 3) and settings with a key (rewritten in 4).
  w.raw('app/main.py', header(r, 'py') + filler(r, 'py', 1500));
  w.raw('README.md', '# orders-service\n\nRun `make dev`.\n');
  const staging = w.file('config/.env.staging', (d) => {
    d.line('# staging', 'APP_ENV=staging');
    d.line(`AWS_ACCESS_KEY_ID=${d.s({ provider: 'aws', kind: 'aws-access-key-id', secret: f.awsKeyId(r) })}`);
    d.line(
      `AWS_SECRET_ACCESS_KEY=${d.s({ provider: 'aws', kind: 'aws-secret-access-key', secret: f.awsSecretKey(r) })}`,
    );
  });
  const settingsHead = ['"""Settings."""', 'import os', '', 'DEBUG = False'];
  const stripe = f.stripeLive(r);
  const settings = w.file('config/settings.py', (d) => {
    d.line(...settingsHead);
    d.line(`STRIPE_KEY = "${d.s({ provider: 'stripe', kind: 'stripe-secret-key', secret: stripe })}"`);
    d.line('TIMEOUT = 30');
  });
  commit('alice', 'Initial import', [...staging, ...settings], true);

  // 2: a production config whose token stays, and a private key (deleted in 3).
  const prod = w.file('config/prod.yaml', (d) => {
    d.line(
      'slack:',
      `  bot_token: ${d.s({ provider: 'slack', kind: 'slack-bot-token', secret: f.slackBot(r) })}`,
    );
    d.line('  channel: "#orders-alerts"');
  });
  const oldKey = w.file('keys/old_id_rsa', (d) =>
    d.line(d.s(pemSpec(rsaPem(rsaKey(r, 'repo-old-rsa')), 'rsa-private-key'))),
  );
  w.raw('app/worker.py', header(r, 'py') + filler(r, 'py', 1200));
  commit('bob', 'Add production config and worker', prod, false);
  for (const l of oldKey) l.commit = git(repoDir, ['rev-parse', 'HEAD']);
  for (const l of oldKey) l.historyOnly = true;

  // 3: the env file and the key are removed (still in history).
  git(repoDir, ['rm', '-q', 'config/.env.staging', 'keys/old_id_rsa']);
  commit('alice', 'Remove leaked staging env and key', [], false);

  // 4: the key line becomes an env lookup (same line number, same file).
  w.file('config/settings.py', (d) => {
    d.line(...settingsHead, 'STRIPE_KEY = os.environ["STRIPE_KEY"]', 'TIMEOUT = 30');
  });
  commit('carol', 'Read the Stripe key from the environment', [], false);

  // A side branch never merged.
  git(repoDir, ['checkout', '-q', '-b', 'feature/payments']);
  const side = w.file('payments/client.py', (d) => {
    d.line('import openai', '');
    d.line(
      `openai.api_key = "${d.s({ provider: 'openai', kind: 'openai-project-key', secret: f.openaiKey(r) })}"`,
    );
    d.line(
      `GITHUB_TOKEN = "${d.s({ provider: 'github', kind: 'github-classic', secret: f.githubToken(r, 'ghp') })}"`,
    );
  });
  commit('dave', 'WIP payments client', side, true);
  git(repoDir, ['checkout', '-q', 'main']);

  // 5: notes with a token that stays at HEAD, and look-alikes.
  const notes = w.file('deploy/notes.md', (d) => {
    d.line('# Deploy notes', '');
    d.line(`Registry token: ${d.s({ provider: 'gitlab', kind: 'gitlab-pat', secret: f.gitlabToken(r) })}`);
    d.line(`Example: ${d.d('aws-example', 'AKIAIOSFODNN7EXAMPLE')}`);
    d.line(`Build: ${d.d('git-sha', git(repoDir, ['rev-parse', 'HEAD']))}`);
  });
  commit('bob', 'Deploy notes', notes, false);
  // Files written then deleted or rewritten are not on disk any more: keep only labels that apply.
  return { labels: w.labels, writer: w };
}
