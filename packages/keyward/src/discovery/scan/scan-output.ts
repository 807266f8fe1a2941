/**
 * SARIF 2.1.0 for a scan, for GitHub code scanning and other SARIF readers. One rule entry per
 * rule that found something; one result per finding, its message holding the redacted preview
 * (never the secret), its fingerprint as the `keyward/v1` partial fingerprint so a reader tracks
 * one secret across runs, and its history (commit, author, date, historyOnly) as properties.
 */
import path from 'node:path';
import type { ScanResult, ScanSeverity, SecretFinding } from './scan-types.js';

const LEVEL: Record<ScanSeverity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
};

/** GitHub's security-severity scale: critical ≥ 9, high ≥ 7, medium ≥ 4. */
const SECURITY_SEVERITY: Record<ScanSeverity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
};

export interface SarifOptions {
  toolVersion: string;
  /** The scanned root: artifact URIs are relative to it (`%SRCROOT%`). */
  root: string;
}

function uriOf(file: string, root: string): string {
  if (!path.isAbsolute(file)) return file.split(path.sep).join('/');
  const rel = path.relative(root, file);
  return (rel && !rel.startsWith('..') ? rel : path.basename(file)).split(path.sep).join('/');
}

function ruleEntry(f: SecretFinding) {
  return {
    id: f.ruleId,
    name: f.ruleId
      .split('-')
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
      .join(''),
    shortDescription: { text: f.description },
    fullDescription: {
      text: `${f.description} (${f.provider}). A secret in source or history must be revoked and rotated, not only removed.`,
    },
    defaultConfiguration: { level: LEVEL[f.severity] },
    properties: {
      tags: ['security', 'secret', f.provider],
      'security-severity': SECURITY_SEVERITY[f.severity],
    },
  };
}

export function toSarif(result: ScanResult, options: SarifOptions) {
  const rules = new Map<string, ReturnType<typeof ruleEntry>>();
  for (const f of result.findings) if (!rules.has(f.ruleId)) rules.set(f.ruleId, ruleEntry(f));
  const ruleIds = [...rules.keys()];
  const rootUri = `file://${path.resolve(options.root).split(path.sep).join('/').replace(/\/?$/, '/')}`;
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0' as const,
    runs: [
      {
        tool: {
          driver: {
            name: 'keyward',
            informationUri: 'https://github.com/keyward/keyward',
            version: options.toolVersion,
            semanticVersion: options.toolVersion,
            rules: [...rules.values()],
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: rootUri } },
        results: result.findings.map((f) => {
          const l = f.location;
          return {
            ruleId: f.ruleId,
            ruleIndex: ruleIds.indexOf(f.ruleId),
            level: LEVEL[f.severity],
            message: {
              text: `${f.description} ${f.redacted}${l.historyOnly ? ` in history only (commit ${l.commit ?? '?'})` : ''}`,
            },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: uriOf(l.path, options.root), uriBaseId: '%SRCROOT%' },
                  region: { startLine: l.line, startColumn: l.column },
                },
              },
            ],
            partialFingerprints: { 'keyward/v1': f.fingerprint },
            properties: {
              severity: f.severity,
              provider: f.provider,
              redacted: f.redacted,
              ...(Object.keys(f.identifiers).length > 0 ? { identifiers: f.identifiers } : {}),
              ...(l.commit !== undefined ? { commit: l.commit } : {}),
              ...(l.author !== undefined ? { author: l.author } : {}),
              ...(l.date !== undefined ? { date: l.date } : {}),
              ...(l.historyOnly !== undefined ? { historyOnly: l.historyOnly } : {}),
            },
          };
        }),
        ...(result.problems.length > 0
          ? {
              invocations: [
                {
                  executionSuccessful: true,
                  toolExecutionNotifications: result.problems.slice(0, 1000).map((p) => ({
                    level: 'warning',
                    message: { text: `${p.path}: ${p.reason}` },
                  })),
                },
              ],
            }
          : {}),
      },
    ],
  };
}
