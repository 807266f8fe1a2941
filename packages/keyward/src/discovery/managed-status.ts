/**
 * Which identities are unmanaged: found by discovery but never registered in Keyward, so nobody has
 * given them an owner, a purpose and an end, or (for an AI agent) approved them. The verdict lives
 * in labels (`kw.unmanaged`, `kw.unmanaged_reasons`), so `identity list --label kw.unmanaged=true`
 * filters on it and it shows wherever the identity does. An admin adopting the identity
 * (`kw.adopted`) or giving it what it lacks clears it.
 */
import type { Identity } from '@keyward/sdk';

/** Labels discovery maintains itself; a re-import recomputes them, the source never sets them. */
export const KW_LABELS = {
  source: 'kw.source',
  foundIn: 'kw.found_in',
  agentSignals: 'kw.agent_signals',
  missingSince: 'kw.missing_since',
  unmanaged: 'kw.unmanaged',
  unmanagedReasons: 'kw.unmanaged_reasons',
  adopted: 'kw.adopted',
} as const;

/** Why `identity` is unmanaged (empty when it is managed). Only discovered identities are judged. */
export function unmanagedReasons(
  identity: Pick<
    Identity,
    'ownerId' | 'purpose' | 'reviewDate' | 'credential' | 'kind' | 'labels' | 'origin'
  >,
): string[] {
  if (identity.origin === 'manual' || identity.labels[KW_LABELS.source] === undefined) return [];
  if (identity.labels[KW_LABELS.adopted] !== undefined) return [];
  const reasons: string[] = [];
  if (!identity.ownerId) reasons.push('no owner');
  if (!identity.purpose?.trim()) reasons.push('no purpose');
  if (!identity.credential.expiresAt && !identity.reviewDate) reasons.push('no end');
  if (identity.kind === 'agent' || identity.labels[KW_LABELS.agentSignals] !== undefined) {
    reasons.push('AI agent deployed outside the approval path');
  }
  return reasons;
}

/** `labels` with the unmanaged verdict for `identity` written in (or removed). */
export function withManagedLabels(identity: Identity): Record<string, string> {
  const labels = { ...identity.labels };
  const reasons = unmanagedReasons(identity);
  if (reasons.length > 0) {
    labels[KW_LABELS.unmanaged] = 'true';
    labels[KW_LABELS.unmanagedReasons] = reasons.join('; ');
  } else {
    delete labels[KW_LABELS.unmanaged];
    delete labels[KW_LABELS.unmanagedReasons];
  }
  return labels;
}

export const isUnmanaged = (identity: Pick<Identity, 'labels'>): boolean =>
  identity.labels[KW_LABELS.unmanaged] === 'true';
