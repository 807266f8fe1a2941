/**
 * The admin-only commands that work on the data directory or DATABASE_URL directly rather than
 * through a server: serve, migrate, demo and admin-token (minting an admin token when the bootstrap
 * one is lost).
 */
import { availableParallelism } from 'node:os';
import { type Command, InvalidArgumentError } from 'commander';
import { createKeyward, openConfiguredStore } from '../app.js';
import { createAuditRecorder } from '../audit/audit-recorder.js';
import { createApiTokenService } from '../auth/api-token-service.js';
import { serveCluster } from '../cluster/cluster-serve.js';
import { type ConfigOverrides, describeDatabase, loadConfig } from '../config.js';
import { loadDemoEstate } from '../demo/demo-loader.js';
import { KEYWARD_VERSION } from '../version.js';
import { CliError } from './cli-errors.js';
import { printServeBanner } from './serve-banner.js';

interface StorageFlags {
  dataDir?: string;
  databaseUrl?: string;
}

const storageOptions = (cmd: Command): Command =>
  cmd
    .option(
      '--data-dir <dir>',
      'data directory for the embedded SQLite database (env KEYWARD_DATA_DIR)',
      undefined,
    )
    .option('--database-url <url>', 'PostgreSQL URL instead of SQLite (env DATABASE_URL)');

const overridesOf = (flags: StorageFlags): ConfigOverrides => ({
  ...(flags.dataDir ? { dataDir: flags.dataDir } : {}),
  ...(flags.databaseUrl ? { databaseUrl: flags.databaseUrl } : {}),
});

interface ServeFlags extends StorageFlags {
  host?: string;
  port?: number;
  demo?: boolean;
  workers?: number;
}

/** `--workers`: a positive integer or "auto" (one per core); anything else is a usage error. */
function parseWorkers(value: string): number {
  if (value === 'auto') return availableParallelism();
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 64) {
    throw new InvalidArgumentError('must be "auto" or an integer from 1 to 64');
  }
  return n;
}

function workersFromEnv(value: string | undefined): number {
  if (value === undefined || value === '') return 1;
  try {
    return parseWorkers(value);
  } catch (err) {
    throw new CliError(`KEYWARD_WORKERS ${(err as Error).message}, not "${value}"`);
  }
}

const wantsJson = (cmd: Command): boolean => Boolean(cmd.optsWithGlobals()['json']);

export function registerServerCommands(program: Command): void {
  storageOptions(
    program
      .command('serve')
      .description('run the Keyward server (embedded SQLite by default, PostgreSQL with --database-url)')
      .option('--host <host>', 'address to listen on (env KEYWARD_HOST)')
      .option('--port <port>', 'port to listen on, 0 for any (env KEYWARD_PORT)', (v) =>
        Number.parseInt(v, 10),
      )
      .option('--demo', 'load the demo estate if the store is empty')
      .option(
        '--workers <n>',
        'HTTP worker processes sharing the port, or "auto" for one per core (env KEYWARD_WORKERS; default 1)',
        parseWorkers,
      )
      .addHelpText(
        'after',
        '\nExample:\n  keyward serve --demo --port 8470\n  keyward serve --workers auto\n  DATABASE_URL=postgres://… keyward serve',
      ),
  ).action(async (flags: ServeFlags, cmd: Command) => {
    const config = loadConfig({
      ...overridesOf(flags),
      ...(flags.host ? { host: flags.host } : {}),
      ...(flags.port !== undefined ? { port: flags.port } : {}),
    });
    const workers = flags.workers ?? workersFromEnv(process.env['KEYWARD_WORKERS']);
    const auditTestRoutes = process.env['KEYWARD_AUDIT_TEST_ROUTES'] === '1';
    if (workers > 1) {
      await serveCluster({
        config,
        workers,
        demo: Boolean(flags.demo),
        auditTestRoutes,
        log: (line) => process.stderr.write(`${line}\n`),
        onReady: (leader, url) => printServeBanner(leader, url, wantsJson(cmd), workers),
      });
      return;
    }
    const keyward = await createKeyward(config, {
      demo: Boolean(flags.demo),
      // Test-only routes (the audit durability test's burst endpoint); never set in production.
      auditTestRoutes,
    });
    const address = await keyward.http.listen({ host: config.host, port: config.port });
    await printServeBanner(keyward, address, wantsJson(cmd));
    const stop = async () => {
      await keyward.close();
      process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });

  storageOptions(program.command('migrate').description('apply pending database migrations and exit')).action(
    async (flags: StorageFlags, cmd: Command) => {
      const config = loadConfig(overridesOf(flags));
      const store = await openConfiguredStore(config);
      try {
        const applied = await store.migrate();
        if (wantsJson(cmd)) console.log(JSON.stringify({ database: describeDatabase(config), applied }));
        else
          console.log(applied.length ? `applied migrations ${applied.join(', ')}` : 'database is up to date');
      } finally {
        await store.close();
      }
    },
  );

  storageOptions(
    program.command('demo').description('load the demo estate into an empty store (then restart the server)'),
  ).action(async (flags: StorageFlags, cmd: Command) => {
    const config = loadConfig(overridesOf(flags));
    const store = await openConfiguredStore(config);
    try {
      await store.migrate();
      const result = await loadDemoEstate(store);
      if (wantsJson(cmd)) console.log(JSON.stringify(result));
      else if (result.loaded) console.log(`loaded ${result.identities} identities and ${result.edges} edges`);
      else console.log('the store already holds identities; the demo estate was not loaded');
    } finally {
      await store.close();
    }
  });

  storageOptions(
    program
      .command('admin-token')
      .description('mint an admin API token directly in the store (when the bootstrap token is lost)')
      .option('--name <name>', 'token name', 'local-admin'),
  ).action(async (flags: StorageFlags & { name: string }, cmd: Command) => {
    const config = loadConfig(overridesOf(flags));
    const store = await openConfiguredStore(config);
    try {
      await store.migrate();
      const now = () => new Date();
      const tokens = createApiTokenService({ store, audit: createAuditRecorder(now), now });
      const created = await tokens.create('local-admin-command', { name: flags.name, role: 'admin' });
      if (wantsJson(cmd)) console.log(JSON.stringify(created));
      else console.log(`export KEYWARD_TOKEN=${created.secret}`);
    } finally {
      await store.close();
    }
  });

  program.version(KEYWARD_VERSION, '-V, --version');
}
