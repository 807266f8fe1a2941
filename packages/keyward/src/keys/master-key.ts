/**
 * The master key: 32 random bytes that seal every secret Keyward keeps at rest (signing keys
 * today). It comes from KEYWARD_MASTER_KEY (base64), or, so the embedded quick start needs no
 * set-up, from `master.key` in the data directory, created 0600 on first start with a one-line
 * warning. Replicas sharing a PostgreSQL database must share the key: set KEYWARD_MASTER_KEY.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { KeywardError } from '../errors.js';

export const MASTER_KEY_FILE = 'master.key';

export interface MasterKey {
  /** Public fingerprint of the key (never the key): recorded in every sealed value. */
  readonly id: string;
  readonly key: Buffer;
  /** Where it came from, for messages. */
  readonly source: string;
}

/** A short, public fingerprint of a key: tells which key sealed a value without revealing it. */
export function masterKeyId(key: Buffer): string {
  return `mk-${createHash('sha256').update('keyward master key id\0').update(key).digest('base64url').slice(0, 12)}`;
}

/** Decodes base64 (or base64url) text of exactly 32 bytes. */
export function parseMasterKey(text: string, source: string): MasterKey {
  const trimmed = text.trim();
  const key = Buffer.from(trimmed, /[-_]/.test(trimmed) ? 'base64url' : 'base64');
  if (key.length !== 32 || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) {
    throw new KeywardError(
      'master_key_invalid',
      `the master key from ${source} must be the base64 of exactly 32 bytes (e.g. openssl rand -base64 32)`,
    );
  }
  return { id: masterKeyId(key), key, source };
}

export interface MasterKeyOptions {
  /** Base64 key from the configuration (KEYWARD_MASTER_KEY); wins over the file. */
  configured: string | undefined;
  dataDir: string;
  /** Where the one-line warning goes when a key file is created. */
  warn: (line: string) => void;
}

/** The configured master key, or the data directory's key file (created on first use). */
export function loadMasterKey({ configured, dataDir, warn }: MasterKeyOptions): MasterKey {
  if (configured !== undefined && configured !== '') return parseMasterKey(configured, 'KEYWARD_MASTER_KEY');
  const file = path.join(dataDir, MASTER_KEY_FILE);
  try {
    // 'wx' fails if the file exists, so two processes starting at once cannot both create one.
    writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    warn(
      `keyward: KEYWARD_MASTER_KEY is not set; created ${file} (0600) to encrypt signing keys. Back it up, or set KEYWARD_MASTER_KEY in production.`,
    );
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const mode = statSync(file).mode & 0o777;
  if (mode & 0o077) {
    warn(`keyward: ${file} is readable by other users (mode ${mode.toString(8)}); chmod 600 it.`);
  }
  return parseMasterKey(readFileSync(file, 'utf8'), file);
}
