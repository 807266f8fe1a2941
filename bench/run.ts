/**
 * `npm run bench -- <name> [...]`: runs the named benchmarks (all when none is named). Each bench
 * module exports `run(args)` and prints its figures as JSON lines through bench-output.ts.
 */
const BENCHES: Record<string, () => Promise<{ run: (args: string[]) => Promise<void> }>> = {
  graph: () => import('./graph-bench.js'),
  store: () => import('./store-bench.js'),
  audit: () => import('./audit-bench.js'),
  tokens: () => import('./tokens-bench.js'),
  authz: () => import('./authz-bench.js'),
  posture: () => import('./posture-bench.js'),
  scan: () => import('./scan-bench.js'),
  console: () => import('./console-bench.js'),
};

const [name, ...rest] = process.argv.slice(2);
const names = name ? [name] : Object.keys(BENCHES);
for (const n of names) {
  const load = BENCHES[n];
  if (!load) {
    process.stderr.write(
      `unknown benchmark ${JSON.stringify(n)}; known: ${Object.keys(BENCHES).join(', ')}\n`,
    );
    process.exit(2);
  }
  const mod = await load();
  await mod.run(rest);
}
