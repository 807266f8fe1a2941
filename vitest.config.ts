import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'bench/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // SQLite files and PostgreSQL schemas are per-test, so files can run in parallel on both cores.
    pool: 'forks',
    // CI lists every test, so its log shows the conformance suite ran on both SQLite and PostgreSQL.
    reporters: process.env['CI'] ? ['verbose'] : ['default'],
  },
});
