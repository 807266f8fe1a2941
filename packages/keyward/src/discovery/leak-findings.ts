/**
 * NHI2 (secret leakage) findings: one per leaked secret (deduplicated by its fingerprint, however
 * many places and scans saw it), linked to the credential or identity it belongs to, and tracked
 * until that credential is revoked or rotated, so Keyward can tell how long leaked secrets stay
 * valid (time-to-revoke). Every change appends its audit event in the caller's transaction.
 */
import type { AuditRecorder } from '../audit/audit-recorder.js';
import { newId } from '../ids.js';
import type { StoreTx } from '../storage/storage-types.js';
import type { CredentialRecord, Finding, FindingSeverity, LeakLocation } from './discovery-types.js';
import { credentialMatches, findLeakLink, type LeakLink } from './leak-links.js';
import type { SecretFinding } from './scan/scan-types.js';

export const LEAK_RULE = 'leaked-secret';
/** Resolutions that mean the secret stopped working: these count for time-to-revoke. */
export const REVOKING_RESOLUTIONS = [
  'credential revoked',
  'credential rotated',
  'api token revoked',
] as const;
const MAX_LOCATIONS = 50;
const SEVERITY_ORDER: readonly FindingSeverity[] = ['low', 'medium', 'high', 'critical'];

export interface LeakCounts {
  opened: number;
  updated: number;
  resolved: number;
  linked: number;
}

const dedupKey = (fingerprint: string) => `${LEAK_RULE}:${fingerprint}`;

function remedyFor(f: SecretFinding, link: LeakLink): string {
  const where =
    'remove it from the code and from git history (git filter-repo), then check its audit trail for use since the leak';
  if (link.apiTokenId)
    return `Revoke Keyward API token ${link.apiTokenId} (keyward token revoke ${link.apiTokenId}), issue a new one, and ${where}.`;
  if (link.credential?.kind === 'aws_access_key') {
    return `Deactivate and delete access key ${link.credential.hint ?? link.credential.externalId} (aws iam update-access-key --status Inactive, then delete-access-key); move the workload to a role or OIDC federation; ${where}.`;
  }
  if (link.credential)
    return `Revoke ${link.credential.kind.replaceAll('_', ' ')} ${link.credential.externalId} at its provider and replace it with a short-lived credential; ${where}.`;
  return `Revoke this ${f.provider} secret (${f.description}) at its provider; ${where}. Import the provider's inventory so Keyward can link it to its owner.`;
}

function severityFor(f: SecretFinding, link: LeakLink): FindingSeverity {
  const base = SEVERITY_ORDER.indexOf(f.severity);
  // A secret that still opens a known, active credential is at least high.
  const live = link.apiTokenId !== null || link.credential?.status === 'active';
  return SEVERITY_ORDER[Math.max(base, live ? 2 : 0)] ?? 'high';
}

const locationKey = (l: LeakLocation) => `${l.repo}|${l.path}|${l.line}|${l.commit ?? ''}`;

function toLocation(repo: string, f: SecretFinding): LeakLocation {
  const l = f.location;
  return {
    repo,
    path: l.path,
    line: l.line,
    commit: l.commit ?? null,
    author: l.author ?? null,
    date: l.date ?? null,
    historyOnly: l.historyOnly === true,
  };
}

export function createLeakFindings({ audit }: { audit: AuditRecorder }) {
  /** Records every finding of one scan of `repo`; the same secret seen again joins its finding. */
  async function recordScan(
    tx: StoreTx,
    actor: string,
    repo: string,
    findings: readonly SecretFinding[],
    at: string,
  ): Promise<LeakCounts> {
    const counts: LeakCounts = { opened: 0, updated: 0, resolved: 0, linked: 0 };
    const bySecret = new Map<string, SecretFinding[]>();
    for (const f of findings) {
      const list = bySecret.get(f.fingerprint) ?? [];
      list.push(f);
      bySecret.set(f.fingerprint, list);
    }
    for (const [fingerprint, seen] of bySecret) {
      const first = seen[0]!;
      const locations = seen.map((f) => toLocation(repo, f));
      const existing = await tx.findings.getByDedupKey(dedupKey(fingerprint));
      if (existing) {
        const known = (existing.evidence['locations'] as LeakLocation[] | undefined) ?? [];
        const keys = new Set(known.map(locationKey));
        const added = locations.filter((l) => !keys.has(locationKey(l)));
        if (added.length === 0) continue;
        const merged = [...known, ...added].slice(0, MAX_LOCATIONS);
        await tx.findings.update({
          ...existing,
          evidence: {
            ...existing.evidence,
            locations: merged,
            locationCount: Number(existing.evidence['locationCount'] ?? known.length) + added.length,
          },
          lastSeenAt: at,
          updatedAt: at,
        });
        await tx.audit.append(
          audit.event(actor, 'finding.updated', existing.id, { rule: LEAK_RULE, newLocations: added.length }),
        );
        counts.updated++;
        continue;
      }
      const identifiers = Object.assign({}, ...seen.map((f) => f.identifiers)) as Record<string, string>;
      const link = await findLeakLink(tx, identifiers, fingerprint);
      const dead = link.credential !== null && link.credential.status !== 'active';
      const finding: Finding = {
        id: newId('finding'),
        code: 'NHI2',
        rule: LEAK_RULE,
        severity: severityFor(first, link),
        status: dead ? 'resolved' : 'open',
        dedupKey: dedupKey(fingerprint),
        title: `${first.description} leaked in ${repo} (${first.location.path}:${first.location.line})`.slice(
          0,
          300,
        ),
        identityId: link.identityId,
        credentialId: link.credential?.id ?? null,
        evidence: {
          ruleId: first.ruleId,
          provider: first.provider,
          redacted: first.redacted,
          fingerprint,
          identifiers,
          locations: locations.slice(0, MAX_LOCATIONS),
          locationCount: locations.length,
          ...(link.apiTokenId ? { apiTokenId: link.apiTokenId } : {}),
          ...(link.matchedBy ? { matchedBy: link.matchedBy } : {}),
        },
        remedy: remedyFor(first, link),
        firstSeenAt: at,
        lastSeenAt: at,
        resolvedAt: dead ? at : null,
        resolution: dead ? 'credential already revoked when found' : null,
        acceptedUntil: null,
        note: null,
        createdAt: at,
        updatedAt: at,
        version: 1,
      };
      await tx.findings.create(finding);
      await tx.audit.append(
        audit.event(actor, 'finding.opened', finding.id, {
          code: 'NHI2',
          rule: LEAK_RULE,
          identityId: finding.identityId,
          credentialId: finding.credentialId,
          redacted: first.redacted,
        }),
      );
      counts.opened++;
      if (link.matchedBy) counts.linked++;
    }
    return counts;
  }

  async function resolve(
    tx: StoreTx,
    actor: string,
    finding: Finding,
    resolution: string,
    at: string,
  ): Promise<void> {
    await tx.findings.update({ ...finding, status: 'resolved', resolvedAt: at, resolution, updatedAt: at });
    await tx.audit.append(
      audit.event(actor, 'finding.resolved', finding.id, {
        rule: finding.rule,
        resolution,
        openFor: Date.parse(at) - Date.parse(finding.firstSeenAt),
      }),
    );
  }

  /**
   * After an import: findings of credentials that became revoked or were rotated resolve; findings
   * nobody could link yet are linked to credentials this import brought.
   */
  async function afterImport(
    tx: StoreTx,
    actor: string,
    changed: readonly CredentialRecord[],
    at: string,
  ): Promise<LeakCounts> {
    const counts: LeakCounts = { opened: 0, updated: 0, resolved: 0, linked: 0 };
    if (changed.length === 0) return counts;
    const byId = new Map(changed.map((c) => [c.id, c]));
    let after: string | undefined;
    for (;;) {
      const batch = await tx.findings.listUnresolved(LEAK_RULE, 500, after);
      if (batch.length === 0) break;
      after = batch[batch.length - 1]!.id;
      for (const finding of batch) {
        const identifiers = (finding.evidence['identifiers'] as Record<string, string> | undefined) ?? {};
        const fingerprint = String(finding.evidence['fingerprint'] ?? '');
        let current = finding;
        if (!current.credentialId) {
          const match = changed.find((c) => credentialMatches(c, identifiers, fingerprint));
          if (!match) continue;
          current = await tx.findings.update({
            ...current,
            credentialId: match.id,
            identityId: match.identityId,
            updatedAt: at,
          });
          await tx.audit.append(
            audit.event(actor, 'finding.linked', finding.id, {
              credentialId: match.id,
              identityId: match.identityId,
            }),
          );
          counts.linked++;
        }
        const credential = byId.get(current.credentialId ?? '');
        if (!credential) continue;
        const rotated = credential.lastRotatedAt !== null && credential.lastRotatedAt > current.firstSeenAt;
        const hintChanged =
          identifiers['lastEight'] !== undefined &&
          credential.hint !== null &&
          credential.hint !== identifiers['lastEight'];
        if (credential.status !== 'active') {
          await resolve(tx, actor, current, 'credential revoked', at);
          counts.resolved++;
        } else if (rotated || hintChanged) {
          await resolve(tx, actor, current, 'credential rotated', at);
          counts.resolved++;
        }
      }
    }
    return counts;
  }

  /** Findings of Keyward API tokens that have since been revoked resolve (run periodically). */
  async function sweepApiTokens(tx: StoreTx, actor: string, at: string): Promise<number> {
    let resolved = 0;
    let after: string | undefined;
    for (;;) {
      const batch = await tx.findings.listUnresolved(LEAK_RULE, 500, after);
      if (batch.length === 0) return resolved;
      after = batch[batch.length - 1]!.id;
      for (const finding of batch) {
        const tokenId = finding.evidence['apiTokenId'];
        if (typeof tokenId !== 'string') continue;
        const token = await tx.apiTokens.get(tokenId);
        if (token?.revokedAt || !token) {
          // The revocation time, when it came after the leak was found: that is when the secret died.
          const when = token?.revokedAt && token.revokedAt > finding.firstSeenAt ? token.revokedAt : at;
          await resolve(tx, actor, finding, 'api token revoked', when);
          resolved++;
        }
      }
    }
  }

  return { recordScan, afterImport, resolve, sweepApiTokens };
}

export type LeakFindings = ReturnType<typeof createLeakFindings>;
