/**
 * A synthetic git history for benchmarks of the history reader and scanner, written in one
 * `git fast-import` stream (10,000 commits in a few seconds): each commit adds, modifies or deletes
 * 1–`filesPerCommit` text files of ~1–4 KB, and every `branchEvery` commits a side branch forks from
 * main and gets `branchLength` commits of its own (never merged: history only a branch reaches).
 * Deterministic for a given seed; `plant(i)` may add a file to commit i (generated fake secrets).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';

export interface HistoryRepoOptions {
  commits: number;
  /** At most this many files touched per commit (at least 1). Default 3. */
  filesPerCommit?: number | undefined;
  branchEvery?: number | undefined;
  branchLength?: number | undefined;
  seed?: number | undefined;
  plant?: ((commit: number) => { path: string; content: string } | undefined) | undefined;
}

export interface HistoryRepo {
  dir: string;
  commits: number;
  /** Distinct file versions written (upper bound of distinct blobs). */
  fileVersions: number;
  deletions: number;
}

function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

const WORDS = [
  'service',
  'timeout',
  'retries',
  'endpoint',
  'region',
  'bucket',
  'queue',
  'replicas',
  'image',
  'port',
];

function textFile(rand: () => number, version: number): string {
  const lines: string[] = [`# generated file, version ${version}`];
  const target = 1024 + Math.floor(rand() * 3072);
  let size = lines[0]?.length ?? 0;
  while (size < target) {
    const word = WORDS[Math.floor(rand() * WORDS.length)] ?? 'key';
    const line = `${word}_${Math.floor(rand() * 1e6)} = "${Math.floor(rand() * 1e12).toString(36)}-${version}"`;
    lines.push(line);
    size += line.length + 1;
  }
  return `${lines.join('\n')}\n`;
}

export async function makeHistoryRepo(dir: string, options: HistoryRepoOptions): Promise<HistoryRepo> {
  const perCommit = Math.max(1, options.filesPerCommit ?? 3);
  const branchEvery = options.branchEvery ?? 1000;
  const branchLength = options.branchLength ?? 25;
  const rand = random(options.seed ?? 14);
  mkdirSync(dir, { recursive: true });
  // fast-import grows its heap in tiny steps: without a top pad glibc spends 95% of the run in brk().
  const env = {
    ...process.env,
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
    MALLOC_TOP_PAD_: String(64 << 20),
  };
  const init = spawn('git', ['init', '-q', '-b', 'main', dir], { env, stdio: 'ignore' });
  await once(init, 'close');
  const git = spawn('git', ['fast-import', '--quiet', '--date-format=raw'], {
    cwd: dir,
    env,
    stdio: ['pipe', 'ignore', 'inherit'],
  });
  const closed = once(git, 'close');
  // Written in ~1 MB pieces: a drain wait per commit would leave fast-import idle half the time.
  let pending: string[] = [];
  let pendingBytes = 0;
  const flush = async () => {
    const text = pending.join('');
    pending = [];
    pendingBytes = 0;
    if (!git.stdin.write(text)) await once(git.stdin, 'drain');
  };
  const write = async (text: string) => {
    pending.push(text);
    pendingBytes += text.length;
    if (pendingBytes > 1 << 20) await flush();
  };
  const data = (content: string) => `data ${Buffer.byteLength(content)}\n${content}\n`;

  const files = new Map<string, string[]>([['main', []]]);
  let mark = 0;
  let mainTip = 0;
  let fileVersions = 0;
  let deletions = 0;
  let branch = 'main';
  let branchLeft = 0;
  let branches = 0;
  for (let i = 0; i < options.commits; i++) {
    if (branch === 'main' && i > 0 && i % branchEvery === 0) {
      branch = `side-${++branches}`;
      branchLeft = branchLength;
      files.set(branch, [...(files.get('main') ?? [])]);
    }
    const live = files.get(branch) ?? [];
    const changes: string[] = [];
    const touched = 1 + Math.floor(rand() * perCommit);
    for (let f = 0; f < touched; f++) {
      const roll = rand();
      if (roll < 0.05 && live.length > 10) {
        const [gone] = live.splice(Math.floor(rand() * live.length), 1);
        if (gone !== undefined && !changes.some((c) => c.includes(` ${gone}\n`))) {
          changes.push(`D ${gone}\n`);
          deletions++;
        }
        continue;
      }
      let path: string;
      if (roll < 0.4 || live.length === 0) {
        path = `src/module-${Math.floor(rand() * 50)}/file-${i}-${f}.conf`;
        live.push(path);
      } else path = live[Math.floor(rand() * live.length)] ?? 'src/fallback.conf';
      changes.push(`M 100644 inline ${path}\n${data(textFile(rand, i))}`);
      fileVersions++;
    }
    const planted = options.plant?.(i);
    if (planted) {
      changes.push(`M 100644 inline ${planted.path}\n${data(planted.content)}`);
      fileVersions++;
    }
    const when = 1_700_000_000 + i * 600;
    const who = `Dev ${i % 17} <dev${i % 17}@example.test> ${when} +0000`;
    const parent = branch === 'main' ? mainTip : mark;
    mark++;
    await write(
      `commit refs/heads/${branch}\nmark :${mark}\nauthor ${who}\ncommitter ${who}\n${data(`commit ${i}`)}` +
        `${parent > 0 ? `from :${parent}\n` : ''}${changes.join('')}\n`,
    );
    if (branch === 'main') mainTip = mark;
    else if (--branchLeft === 0) branch = 'main';
  }
  await flush();
  git.stdin.end();
  const [code] = await closed;
  if (code !== 0) throw new Error(`git fast-import exited with ${code}`);
  return { dir, commits: options.commits, fileVersions, deletions };
}
