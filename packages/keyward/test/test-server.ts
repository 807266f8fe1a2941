/**
 * Starts a real Keyward (real HTTP on a random loopback port, real SQLite in a temp dir, or the
 * test PostgreSQL in a fresh schema when asked) for end-to-end tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createKeyward, type Keyward, type KeywardOptions } from '../src/app.js';
import { loadConfig } from '../src/config.js';

export interface TestServer {
  url: string;
  adminToken: string;
  keyward: Keyward;
  dataDir: string;
  close(): Promise<void>;
}

export async function startTestServer(
  options: KeywardOptions & { dataDir?: string } = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'keyward-test-'));
  const config = loadConfig({ dataDir, port: 0, logLevel: 'silent' }, {});
  const keyward = await createKeyward(config, options);
  const url = await keyward.http.listen({ host: '127.0.0.1', port: 0 });
  if (!keyward.bootstrapToken) throw new Error('test server expected a fresh store with a bootstrap token');
  return {
    url,
    adminToken: keyward.bootstrapToken,
    keyward,
    dataDir,
    async close() {
      await keyward.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
