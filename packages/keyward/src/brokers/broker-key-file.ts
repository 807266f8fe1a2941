/**
 * TEMPORARY key source for the broker's SecretBox until the master key lands: a random 32-byte
 * key in `<dataDir>/broker-secret.key` (mode 0600), created on first use. With the master key this
 * file goes away and app.ts passes the master-key SecretBox instead.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export function loadOrCreateBrokerKey(dataDir: string): Buffer {
  const file = path.join(dataDir, 'broker-secret.key');
  try {
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new Error(`${file} does not hold a base64 32-byte key`);
    return key;
  } catch (err) {
    if ((err as { code?: unknown }).code !== 'ENOENT') throw err;
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  // 'wx': never overwrite a key another process has just written.
  try {
    writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as { code?: unknown }).code === 'EEXIST') return loadOrCreateBrokerKey(dataDir);
    throw err;
  }
  return key;
}
