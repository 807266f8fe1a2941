/**
 * Secret scans as the inventory sees them: a scan's findings (run by the CLI on the user's machine,
 * or by the server on a path under the discovery roots) become NHI2 findings linked to the
 * credentials and identities they belong to, with the run and its audit event in one transaction.
 * The secrets themselves never reach the server: findings carry redactions and fingerprints only.
 */
import type { AuditRecorder } from '../audit/audit-recorder.js';
import { KeywardError } from '../errors.js';
import { newId } from '../ids.js';
import type { Store } from '../storage/storage-types.js';
import type { DiscoveryRun } from './discovery-types.js';
import { emptySummary } from './import-plan.js';
import type { LeakFindings } from './leak-findings.js';
import type { ScanEntry, ScanOptions, ScanResult, SecretFinding } from './scan/scan-types.js';

export interface ScanServiceDeps {
  store: Store;
  audit: AuditRecorder;
  now: () => Date;
  leaks: LeakFindings;
  scanTree: ScanEntry;
}

const FINGERPRINT = /^sha256:[0-9a-f]{64}$/;
/** A redaction shows at most 4 + 4 characters of the secret; anything longer might be the secret. */
const MAX_REDACTED = 24;

function checkFindings(findings: readonly SecretFinding[]): void {
  findings.forEach((f, i) => {
    if (!FINGERPRINT.test(f.fingerprint)) {
      throw new KeywardError('validation_failed', `finding ${i}: fingerprint must be sha256:<64 hex>`, {
        errors: [{ path: `/findings/${i}/fingerprint`, message: 'sha256:<hex>' }],
      });
    }
    if (f.redacted.length > MAX_REDACTED) {
      throw new KeywardError(
        'validation_failed',
        `finding ${i}: the redacted preview is too long to be redacted`,
        { errors: [{ path: `/findings/${i}/redacted`, message: `at most ${MAX_REDACTED} characters` }] },
      );
    }
  });
}

export function createScanService({ store, audit, now, leaks, scanTree }: ScanServiceDeps) {
  /** Records the result of a scan of `target` (a repository or directory name, shown in findings). */
  async function record(
    actor: string,
    target: string,
    result: Pick<ScanResult, 'findings' | 'problems' | 'stats'>,
  ): Promise<DiscoveryRun> {
    checkFindings(result.findings);
    const startedAt = now().toISOString();
    return store.transaction(async (tx) => {
      const counts = await leaks.recordScan(tx, actor, target, result.findings, startedAt);
      const summary = emptySummary();
      summary.findings = counts;
      summary.counts = {
        findings: result.findings.length,
        files: result.stats.files,
        bytes: result.stats.bytes,
        ...(result.stats.commits !== undefined ? { commits: result.stats.commits } : {}),
      };
      summary.problems = result.problems
        .slice(0, 200)
        .map((p) => ({ file: p.path, reason: p.reason, severity: 'warning' as const }));
      summary.problemCount = result.problems.length;
      const run: DiscoveryRun = {
        id: newId('discoveryRun'),
        type: 'scan',
        source: 'scan',
        scope: target,
        feed: 'secrets',
        actor,
        startedAt,
        finishedAt: now().toISOString(),
        summary,
      };
      await tx.discoveryRuns.create(run);
      await tx.audit.append(
        audit.event(actor, 'discovery.scanned', run.id, {
          target,
          findings: result.findings.length,
          opened: counts.opened,
          linked: counts.linked,
          files: result.stats.files,
        }),
      );
      return run;
    });
  }

  /** Scans a server-side path (already checked against the discovery roots) and records it. */
  async function scanAndRecord(
    actor: string,
    root: string,
    target: string,
    options: ScanOptions,
  ): Promise<{ run: DiscoveryRun; result: ScanResult }> {
    const result = await scanTree(root, options);
    return { run: await record(actor, target, result), result };
  }

  return { record, scanAndRecord };
}

export type ScanService = ReturnType<typeof createScanService>;
