/**
 * Keyward's configuration: from flags first, then environment, then defaults that make the
 * embedded quick start work with no set-up (SQLite in ./.keyward, port 8470 on loopback).
 */
import path from 'node:path';
import { parseSinkConfigs, type SinkConfig } from './audit/sinks/sink-config.js';

export interface KeywardConfig {
  /** Directory for the embedded SQLite database (and, later, key files). */
  dataDir: string;
  /** PostgreSQL URL; when set, used instead of the embedded SQLite. */
  databaseUrl: string | undefined;
  host: string;
  port: number;
  bodyLimit: number;
  logLevel: string;
  /** Audit export sinks (env KEYWARD_AUDIT_SINKS, a JSON array; see audit/sinks/sink-config.ts). */
  auditSinks: SinkConfig[];
}

export type ConfigOverrides = Partial<KeywardConfig>;

function envPort(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`KEYWARD_PORT must be 0-65535, got ${value}`);
  return port;
}

export function loadConfig(
  overrides: ConfigOverrides = {},
  env: NodeJS.ProcessEnv = process.env,
): KeywardConfig {
  const databaseUrl = overrides.databaseUrl ?? env['KEYWARD_DATABASE_URL'] ?? env['DATABASE_URL'];
  return {
    dataDir: path.resolve(overrides.dataDir ?? env['KEYWARD_DATA_DIR'] ?? '.keyward'),
    databaseUrl: databaseUrl === '' ? undefined : databaseUrl,
    host: overrides.host ?? env['KEYWARD_HOST'] ?? '127.0.0.1',
    port: overrides.port ?? envPort(env['KEYWARD_PORT']) ?? 8470,
    bodyLimit: overrides.bodyLimit ?? 1024 * 1024,
    logLevel: overrides.logLevel ?? env['KEYWARD_LOG_LEVEL'] ?? 'warn',
    auditSinks: overrides.auditSinks ?? parseSinkConfigs(env['KEYWARD_AUDIT_SINKS']),
  };
}

/** The database location for messages, with any password in a URL masked. */
export function describeDatabase(config: KeywardConfig): string {
  if (!config.databaseUrl) return `SQLite at ${path.join(config.dataDir, 'keyward.db')}`;
  try {
    const url = new URL(config.databaseUrl);
    if (url.password) url.password = '****';
    return `PostgreSQL at ${url.toString()}`;
  } catch {
    return 'PostgreSQL (unparseable URL)';
  }
}
