/**
 * Turns one evaluation's hits into stored findings: a new condition opens a finding, a changed one
 * updates it, a finding whose condition returned (or whose acceptance expired) reopens, and an
 * unresolved finding whose condition is gone resolves with `condition cleared`. Each change appends
 * its audit event in the caller's transaction, so the audit log is the finding's history.
 */
import type { AuditRecorder } from '../audit/audit-recorder.js';
import type { Finding } from '../discovery/discovery-types.js';
import { newId } from '../ids.js';
import type { StoreTx } from '../storage/storage-types.js';
import type { PostureHit, PostureRule } from './posture-rule.js';

export interface PostureCounts {
  evaluated: number;
  opened: number;
  updated: number;
  resolved: number;
  reopened: number;
  /** Conditions that hold now (open or accepted findings after this run), by NHI code. */
  byCode: Record<string, number>;
  /** Wall time of the evaluation. */
  ms: number;
}

export interface RuleHit extends PostureHit {
  rule: PostureRule;
  identityId: string;
}

export const CONDITION_CLEARED = 'condition cleared';

const changed = (f: Finding, h: RuleHit): boolean =>
  f.severity !== h.severity ||
  f.title !== h.title ||
  f.remedy !== h.remedy ||
  JSON.stringify(f.evidence) !== JSON.stringify(h.evidence);

const expired = (f: Finding, at: string): boolean =>
  f.status === 'accepted' && f.acceptedUntil !== null && f.acceptedUntil <= at;

/** True when applying `h` would write anything (lets the engine skip empty transactions). */
export function needsWrite(known: Finding | undefined, h: RuleHit, at: string): boolean {
  return !known || known.status === 'resolved' || expired(known, at) || changed(known, h);
}

export function createReconciler(audit: AuditRecorder) {
  async function applyHit(
    tx: StoreTx,
    actor: string,
    h: RuleHit,
    known: Map<string, Finding>,
    at: string,
    counts: PostureCounts,
  ): Promise<void> {
    const f = known.get(h.dedupKey);
    if (!needsWrite(f, h, at)) return;
    const current = { severity: h.severity, title: h.title, evidence: h.evidence, remedy: h.remedy };
    if (!f) {
      const finding: Finding = {
        id: newId('finding'),
        code: h.rule.code,
        rule: h.rule.id,
        status: 'open',
        dedupKey: h.dedupKey,
        ...current,
        identityId: h.identityId,
        credentialId: h.credentialId ?? null,
        firstSeenAt: at,
        lastSeenAt: at,
        resolvedAt: null,
        resolution: null,
        acceptedUntil: null,
        note: null,
        createdAt: at,
        updatedAt: at,
        version: 1,
      };
      await tx.findings.create(finding);
      await tx.audit.append(
        audit.event(actor, 'finding.opened', finding.id, {
          code: finding.code,
          rule: finding.rule,
          identityId: h.identityId,
          severity: h.severity,
        }),
      );
      known.set(h.dedupKey, finding);
      counts.opened++;
      return;
    }
    if (f.status === 'resolved' || expired(f, at)) {
      const reason = f.status === 'resolved' ? 'condition returned' : 'acceptance expired';
      const next = await tx.findings.update({
        ...f,
        ...current,
        status: 'open',
        resolvedAt: null,
        resolution: null,
        acceptedUntil: null,
        lastSeenAt: at,
        updatedAt: at,
      });
      await tx.audit.append(
        audit.event(actor, 'finding.reopened', f.id, { code: f.code, rule: f.rule, reason }),
      );
      known.set(h.dedupKey, next);
      counts.reopened++;
      return;
    }
    const next = await tx.findings.update({ ...f, ...current, lastSeenAt: at, updatedAt: at });
    await tx.audit.append(
      audit.event(actor, 'finding.updated', f.id, { code: f.code, rule: f.rule, severity: h.severity }),
    );
    known.set(h.dedupKey, next);
    counts.updated++;
  }

  async function resolveCleared(
    tx: StoreTx,
    actor: string,
    findings: readonly Finding[],
    known: Map<string, Finding>,
    at: string,
    counts: PostureCounts,
  ): Promise<void> {
    for (const f of findings) {
      const next = await tx.findings.update({
        ...f,
        status: 'resolved',
        resolvedAt: at,
        resolution: CONDITION_CLEARED,
        updatedAt: at,
      });
      await tx.audit.append(
        audit.event(actor, 'finding.resolved', f.id, {
          code: f.code,
          rule: f.rule,
          resolution: CONDITION_CLEARED,
          openFor: Date.parse(at) - Date.parse(f.firstSeenAt),
        }),
      );
      known.set(f.dedupKey, next);
      counts.resolved++;
    }
  }

  return { applyHit, resolveCleared };
}
