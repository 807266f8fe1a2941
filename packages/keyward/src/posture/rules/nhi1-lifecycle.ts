/**
 * NHI1 (improper offboarding): an identity whose owner has left but which is still live, and an
 * active identity nobody has used for `unusedDays`. Both are credentials kept alive for no one.
 */
import { daysSince, hit, isLive, type PostureRule } from '../posture-rule.js';

export const ownerGone: PostureRule = {
  id: 'owner-gone',
  code: 'NHI1',
  title: 'Owner has left, identity still live',
  severity: 'high',
  description: "the identity's owner is an inactive human and the identity is not disabled or revoked",
  evaluate(ctx, identity) {
    if (!isLive(identity) || !identity.ownerId) return [];
    if (ctx.humanActive(identity.ownerId) !== false) return [];
    return [
      hit(this, identity, {
        title: `${identity.name}: owner ${identity.ownerId} is inactive, the identity is still ${identity.status}`,
        evidence: { ownerId: identity.ownerId, ownerActive: false, status: identity.status },
        remedy: `Reassign it (keyward identity update ${identity.name} --owner <human>) or disable it (keyward identity disable ${identity.name} --reason "owner left").`,
      }),
    ];
  },
};

export const unusedIdentity: PostureRule = {
  id: 'unused-identity',
  code: 'NHI1',
  title: 'Active identity unused',
  severity: 'medium',
  description:
    'an active identity whose last use (credential last used, else last seen, else first seen) is older than unusedDays (90)',
  evaluate(ctx, identity) {
    if (identity.status !== 'active') return [];
    const lastUsed = identity.credential.lastUsedAt ?? identity.lastSeen ?? identity.firstSeen;
    const days = Math.floor(daysSince(ctx, lastUsed));
    if (!(days > ctx.config.unusedDays)) return [];
    return [
      hit(this, identity, {
        title: `${identity.name}: active but unused for ${days} days`,
        // Whole days would change every day; the last-use time is what identifies the condition.
        evidence: { lastUsedAt: lastUsed, thresholdDays: ctx.config.unusedDays },
        remedy: `Disable it (keyward identity disable ${identity.name} --reason "unused for ${days} days"); delete it at its origin (${identity.origin}) once nothing breaks.`,
      }),
    ];
  },
};
