/**
 * Keyward's configuration: from flags first, then environment, then defaults that make the
 * embedded quick start work with no set-up (SQLite in ./.keyward, port 8470 on loopback).
 */

import { createRequire } from 'node:module';
import path from 'node:path';
import { parseSinkConfigs, type SinkConfig } from './audit/sinks/sink-config.js';
import type { DetectionConfig } from './detection/detection-config.js';
import { parseDetectionConfig } from './detection/detection-env.js';

export interface KeywardConfig {
  /** Directory for the embedded SQLite database (and, later, key files). */
  dataDir: string;
  /** PostgreSQL URL; when set, used instead of the embedded SQLite. */
  databaseUrl: string | undefined;
  host: string;
  port: number;
  bodyLimit: number;
  logLevel: string;
  /**
   * Base64 of the 32-byte master key that seals secrets at rest (env KEYWARD_MASTER_KEY). When
   * unset, keys/master-key.ts uses (or creates) `master.key` in the data directory.
   */
  masterKey: string | undefined;
  /** Public base URL, the `iss` of tokens (env KEYWARD_ISSUER); default: the URL the server listens on. */
  issuer: string | undefined;
  /** Algorithm of newly generated signing keys (env KEYWARD_SIGNING_ALG): ES256 (default) or EdDSA. */
  signingAlg: 'ES256' | 'EdDSA';
  /** Longest lifetime of a token Keyward signs (env KEYWARD_MAX_TOKEN_TTL, seconds; default 1 h). */
  maxTokenTtlSeconds: number;
  /** Age after which the active signing key is rotated (env KEYWARD_SIGNING_KEY_MAX_AGE, seconds; default 30 days). */
  signingKeyMaxAgeSeconds: number;
  /** Clock skew tolerated on assertion `iat`/`nbf`/`exp` (env KEYWARD_CLOCK_SKEW, seconds; default 60). */
  clockSkewSeconds: number;
  /** Audit export sinks (env KEYWARD_AUDIT_SINKS, a JSON array; see audit/sinks/sink-config.ts). */
  auditSinks: SinkConfig[];
  /** PostgreSQL schema to use (env KEYWARD_DATABASE_SCHEMA); default: the connection's search_path. */
  databaseSchema: string | undefined;
  /** Longest task TTL (env KEYWARD_MAX_TASK_TTL, seconds; default 1 h). */
  maxTaskTtlSeconds: number;
  /** Lifetime of access tokens from /oauth2/token, capped by the task's remaining time (env KEYWARD_TOKEN_TTL; default 300). */
  accessTokenTtlSeconds: number;
  /** Deepest `act` chain a token may carry (env KEYWARD_MAX_DELEGATION_DEPTH; default 5). */
  maxDelegationDepth: number;
  /** Resource-server audiences any task may name as `resource` (env KEYWARD_TOKEN_AUDIENCES, comma-separated). */
  tokenAudiences: string[];
  /** Where `approval.requested` events are POSTed (env KEYWARD_APPROVAL_WEBHOOK_URL); unset: none. */
  approvalWebhookUrl: string | undefined;
  /** HMAC-SHA256 key signing those deliveries (env KEYWARD_APPROVAL_WEBHOOK_SECRET). */
  approvalWebhookSecret: string | undefined;
  /** How long a pending approval waits for a decision (env KEYWARD_APPROVAL_TTL, seconds; default 900). */
  approvalTtlSeconds: number;
  /** How long an approval lifts its request once approved (env KEYWARD_APPROVAL_GRANT_TTL; default 600). */
  approvalGrantTtlSeconds: number;
  /**
   * How long an offboarded human's orphaned identities wait for a new owner before they are
   * disabled (env KEYWARD_OFFBOARDING_GRACE: seconds, or a number with s/m/h/d; default 7 days).
   */
  offboardingGraceSeconds: number;
  /** How long before its end an identity gets its expiry notice (env KEYWARD_EXPIRY_NOTICE; default 14 days). */
  expiryNoticeSeconds: number;
  /**
   * How often the whole estate is re-evaluated by the posture rules (env KEYWARD_POSTURE_FULL_INTERVAL;
   * default 1 h). Every change is re-evaluated at once for what it touched; the full pass catches
   * what time alone changes (ages, expiries, unused keys).
   */
  postureFullIntervalSeconds: number;
  /** How long a rotated API key stays valid beside its successor (env KEYWARD_ROTATION_OVERLAP; default 24 h). */
  rotationOverlapSeconds: number;
  /** Behavioural detection settings (env KEYWARD_DETECTION, JSON; see detection/detection-config.ts). */
  detection: Partial<DetectionConfig>;
  /**
   * Directories the server may read for imports and scans named by a server-side path (env
   * KEYWARD_DISCOVERY_ROOTS, comma-separated absolute paths; default none: only uploads).
   */
  discoveryRoots: string[];
  /** Largest import upload or server-side import input, bytes (env KEYWARD_DISCOVERY_MAX_BYTES; default 64 MiB). */
  discoveryMaxBytes: number;
  /**
   * The built web console served at `/` (env KEYWARD_CONSOLE_DIR; `off` serves none; default the
   * `@keyward/console` package's dist/ when it is installed).
   */
  consoleDir: string | null;
}

/** The console package's build output, when the package is installed beside this one. */
function defaultConsoleDir(): string | null {
  try {
    const pkg = createRequire(import.meta.url).resolve('@keyward/console/package.json');
    return path.join(path.dirname(pkg), 'dist');
  } catch {
    return null;
  }
}

export type ConfigOverrides = Partial<KeywardConfig>;

function envSeconds(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`${name} must be a whole number of seconds, got ${value}`);
  return n;
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** A duration: whole seconds, or a whole number with a unit (`90s`, `15m`, `12h`, `7d`). */
function envDuration(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const m = /^(\d+)([smhd])$/.exec(value.trim());
  if (m) return Number(m[1]) * (UNIT_SECONDS[m[2]!] ?? 1);
  if (!/^\d+$/.test(value.trim()))
    throw new Error(`${name} must be seconds or e.g. 7d, 12h, 15m; got ${value}`);
  return Number(value);
}

function envSigningAlg(value: string | undefined): 'ES256' | 'EdDSA' | undefined {
  if (value === undefined || value === '') return undefined;
  if (value !== 'ES256' && value !== 'EdDSA')
    throw new Error(`KEYWARD_SIGNING_ALG must be ES256 or EdDSA, got ${value}`);
  return value;
}

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
    masterKey: overrides.masterKey ?? (env['KEYWARD_MASTER_KEY'] || undefined),
    issuer: (overrides.issuer ?? (env['KEYWARD_ISSUER'] || undefined))?.replace(/\/+$/, ''),
    signingAlg: overrides.signingAlg ?? envSigningAlg(env['KEYWARD_SIGNING_ALG']) ?? 'ES256',
    maxTokenTtlSeconds:
      overrides.maxTokenTtlSeconds ??
      envSeconds('KEYWARD_MAX_TOKEN_TTL', env['KEYWARD_MAX_TOKEN_TTL']) ??
      3600,
    signingKeyMaxAgeSeconds:
      overrides.signingKeyMaxAgeSeconds ??
      envSeconds('KEYWARD_SIGNING_KEY_MAX_AGE', env['KEYWARD_SIGNING_KEY_MAX_AGE']) ??
      30 * 86_400,
    clockSkewSeconds:
      overrides.clockSkewSeconds ?? envSeconds('KEYWARD_CLOCK_SKEW', env['KEYWARD_CLOCK_SKEW']) ?? 60,
    auditSinks: overrides.auditSinks ?? parseSinkConfigs(env['KEYWARD_AUDIT_SINKS']),
    databaseSchema: overrides.databaseSchema ?? (env['KEYWARD_DATABASE_SCHEMA'] || undefined),
    maxTaskTtlSeconds:
      overrides.maxTaskTtlSeconds ?? envSeconds('KEYWARD_MAX_TASK_TTL', env['KEYWARD_MAX_TASK_TTL']) ?? 3600,
    accessTokenTtlSeconds:
      overrides.accessTokenTtlSeconds ?? envSeconds('KEYWARD_TOKEN_TTL', env['KEYWARD_TOKEN_TTL']) ?? 300,
    maxDelegationDepth:
      overrides.maxDelegationDepth ??
      envSeconds('KEYWARD_MAX_DELEGATION_DEPTH', env['KEYWARD_MAX_DELEGATION_DEPTH']) ??
      5,
    tokenAudiences:
      overrides.tokenAudiences ??
      (env['KEYWARD_TOKEN_AUDIENCES'] ?? '')
        .split(',')
        .map((a) => a.trim())
        .filter((a) => a !== ''),
    approvalWebhookUrl: overrides.approvalWebhookUrl ?? (env['KEYWARD_APPROVAL_WEBHOOK_URL'] || undefined),
    approvalWebhookSecret:
      overrides.approvalWebhookSecret ?? (env['KEYWARD_APPROVAL_WEBHOOK_SECRET'] || undefined),
    approvalTtlSeconds:
      overrides.approvalTtlSeconds ?? envSeconds('KEYWARD_APPROVAL_TTL', env['KEYWARD_APPROVAL_TTL']) ?? 900,
    approvalGrantTtlSeconds:
      overrides.approvalGrantTtlSeconds ??
      envSeconds('KEYWARD_APPROVAL_GRANT_TTL', env['KEYWARD_APPROVAL_GRANT_TTL']) ??
      600,
    offboardingGraceSeconds:
      overrides.offboardingGraceSeconds ??
      envDuration('KEYWARD_OFFBOARDING_GRACE', env['KEYWARD_OFFBOARDING_GRACE']) ??
      7 * 86_400,
    expiryNoticeSeconds:
      overrides.expiryNoticeSeconds ??
      envDuration('KEYWARD_EXPIRY_NOTICE', env['KEYWARD_EXPIRY_NOTICE']) ??
      14 * 86_400,
    postureFullIntervalSeconds:
      overrides.postureFullIntervalSeconds ??
      envDuration('KEYWARD_POSTURE_FULL_INTERVAL', env['KEYWARD_POSTURE_FULL_INTERVAL']) ??
      3_600,
    rotationOverlapSeconds:
      overrides.rotationOverlapSeconds ??
      envDuration('KEYWARD_ROTATION_OVERLAP', env['KEYWARD_ROTATION_OVERLAP']) ??
      86_400,
    detection: overrides.detection ?? parseDetectionConfig(env['KEYWARD_DETECTION']),
    discoveryRoots:
      overrides.discoveryRoots ??
      (env['KEYWARD_DISCOVERY_ROOTS'] ?? '')
        .split(',')
        .map((p) => p.trim())
        .filter((p) => p !== '')
        .map((p) => path.resolve(p)),
    discoveryMaxBytes:
      overrides.discoveryMaxBytes ??
      envSeconds('KEYWARD_DISCOVERY_MAX_BYTES', env['KEYWARD_DISCOVERY_MAX_BYTES']) ??
      64 * 1024 * 1024,
    consoleDir:
      overrides.consoleDir !== undefined
        ? overrides.consoleDir
        : env['KEYWARD_CONSOLE_DIR'] === 'off'
          ? null
          : env['KEYWARD_CONSOLE_DIR']
            ? path.resolve(env['KEYWARD_CONSOLE_DIR'])
            : defaultConsoleDir(),
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
