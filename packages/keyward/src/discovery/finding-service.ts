/**
 * Findings as people work them: list and read, accept a risk (with a reason and an expiry) or
 * resolve one by hand; each change audited in its transaction. Also the discovery figures the
 * estate summary shows (unmanaged identities, found credentials, leaked secrets, time-to-revoke).
 */
import type { Page, PageRequest } from '@keyward/sdk';
import type { AuditRecorder } from '../audit/audit-recorder.js';
import { KeywardError, notFound } from '../errors.js';
import type { Store } from '../storage/storage-types.js';
import type { Finding, FindingFilter } from './discovery-types.js';
import { LEAK_RULE, REVOKING_RESOLUTIONS } from './leak-findings.js';

export interface DiscoveryFigures {
  sources: Array<{ scope: string; refs: number; lastImportedAt: string }>;
  credentials: Record<string, number>;
  findings: Array<{ code: string; severity: string; status: string; count: number }>;
  leakedSecrets: { open: number; resolved: number; medianHoursToRevoke: number | null; revoked: number };
}

const median = (values: number[]): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export function createFindingService({
  store,
  audit,
  now,
}: {
  store: Store;
  audit: AuditRecorder;
  now: () => Date;
}) {
  async function get(id: string): Promise<Finding> {
    const finding = await store.findings.get(id);
    if (!finding) throw notFound('finding', id);
    return finding;
  }

  function list(filter: FindingFilter, page: PageRequest): Promise<Page<Finding>> {
    return store.findings.list(filter, page);
  }

  async function change(
    actor: string,
    id: string,
    type: string,
    next: (f: Finding, at: string) => Finding,
    details: Record<string, unknown>,
  ): Promise<Finding> {
    return store.transaction(async (tx) => {
      const current = await tx.findings.get(id);
      if (!current) throw notFound('finding', id);
      const updated = await tx.findings.update(next(current, now().toISOString()));
      await tx.audit.append(
        audit.event(actor, type, id, { rule: current.rule, code: current.code, ...details }),
      );
      return updated;
    });
  }

  /** Resolved by a person (e.g. "false positive: a test fixture"); never counts as a revocation. */
  function resolve(actor: string, id: string, reason: string): Promise<Finding> {
    return change(
      actor,
      id,
      'finding.resolved',
      (f, at) => {
        if (f.status === 'resolved')
          throw new KeywardError(
            'validation_failed',
            `finding ${id} is already resolved (${f.resolution ?? ''})`,
          );
        return {
          ...f,
          status: 'resolved',
          resolvedAt: at,
          resolution: `by hand: ${reason}`,
          note: reason,
          updatedAt: at,
        };
      },
      { reason },
    );
  }

  /** An accepted risk: stays visible, counts as accepted until `until`. */
  function accept(actor: string, id: string, reason: string, until: string): Promise<Finding> {
    if (Number.isNaN(Date.parse(until)) || Date.parse(until) <= now().getTime()) {
      throw new KeywardError('validation_failed', 'until must be a future date', {
        errors: [{ path: '/until', message: 'a future ISO-8601 date' }],
      });
    }
    return change(
      actor,
      id,
      'finding.accepted',
      (f, at) => {
        if (f.status === 'resolved')
          throw new KeywardError('validation_failed', `finding ${id} is resolved; nothing to accept`);
        return {
          ...f,
          status: 'accepted',
          acceptedUntil: new Date(until).toISOString(),
          note: reason,
          updatedAt: at,
        };
      },
      { reason, until },
    );
  }

  async function figures(): Promise<DiscoveryFigures> {
    const findings = await store.findings.countBy();
    const leaks = findings.filter((f) => f.code === 'NHI2');
    const times = await store.findings.resolvedTimes(LEAK_RULE, REVOKING_RESOLUTIONS);
    const hours = times.map((t) => (Date.parse(t.resolvedAt) - Date.parse(t.firstSeenAt)) / 3_600_000);
    return {
      sources: await store.discoveryRefs.scopes(),
      credentials: await store.credentials.countByStatus(),
      findings,
      leakedSecrets: {
        open: leaks.filter((f) => f.status !== 'resolved').reduce((n, f) => n + f.count, 0),
        resolved: leaks.filter((f) => f.status === 'resolved').reduce((n, f) => n + f.count, 0),
        revoked: times.length,
        medianHoursToRevoke: median(hours),
      },
    };
  }

  return { get, list, resolve, accept, figures };
}

export type FindingService = ReturnType<typeof createFindingService>;
