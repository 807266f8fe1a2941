/**
 * NHI7 (long-lived secrets): secrets not rotated within their period (the identity's
 * rotationPeriodDays, else rotationDays) and Keyward-recorded static secrets with no expiry.
 */
import type { Identity } from '@keyward/sdk';
import { daysSince, hit, isLive, type PostureContext, type PostureRule } from '../posture-rule.js';

/** Kinds that authenticate with a static secret; workloads and agents federate. */
const SECRET_KINDS = new Set(['api_key', 'token', 'service_account', 'certificate', 'bot', 'oauth_app']);

function overdue(ctx: PostureContext, identity: Identity) {
  const out: Array<{ what: string; rotatedAt: string; periodDays: number; days: number; detail?: string }> =
    [];
  const c = identity.credential;
  const own = c.lastRotatedAt ?? c.createdAt;
  const period = c.rotationPeriodDays ?? ctx.config.rotationDays;
  const ownDays = Math.floor(daysSince(ctx, own));
  if (own && SECRET_KINDS.has(identity.kind) && ownDays > period)
    out.push({ what: 'credential', rotatedAt: own, periodDays: period, days: ownDays });
  for (const found of ctx.credentials(identity.id)) {
    if (found.status !== 'active') continue;
    const at = found.lastRotatedAt ?? found.createdAt;
    const days = Math.floor(daysSince(ctx, at));
    if (at && days > period)
      out.push({
        what: found.hint ?? found.externalId,
        rotatedAt: at,
        periodDays: period,
        days,
        detail: found.id,
      });
  }
  return out;
}

export const rotationOverdue: PostureRule = {
  id: 'rotation-overdue',
  code: 'NHI7',
  title: 'Secret past its rotation period',
  severity: 'medium',
  description:
    "the identity's credential, or an active discovered credential, was last rotated (else created) longer ago than rotationPeriodDays (default 90)",
  evaluate(ctx, identity) {
    if (!isLive(identity)) return [];
    return overdue(ctx, identity).map((o) =>
      hit(
        this,
        identity,
        {
          severity: o.days > 4 * o.periodDays ? 'high' : 'medium',
          title: `${identity.name}: ${o.what} not rotated for ${o.days} days (period ${o.periodDays})`,
          credentialId: o.detail,
          evidence: { credential: o.what, rotatedAt: o.rotatedAt, periodDays: o.periodDays },
          remedy: `Rotate it at its origin (${identity.origin}) and record it (keyward identity update ${identity.name} --last-rotated <date>), or move it to short-lived credentials.`,
        },
        o.detail,
      ),
    );
  },
};

export const secretWithoutExpiry: PostureRule = {
  id: 'secret-without-expiry',
  code: 'NHI7',
  title: 'Stored secret without an end',
  severity: 'low',
  description:
    'a live identity whose secret is stored somewhere (secretLocations) with neither a credential expiry nor a review date: nothing ever ends it',
  evaluate(_ctx, identity) {
    if (!isLive(identity) || identity.secretLocations.length === 0) return [];
    if (identity.credential.expiresAt || identity.reviewDate) return [];
    return [
      hit(this, identity, {
        title: `${identity.name}: stored secret with no expiry and no review date`,
        evidence: {
          locations: identity.secretLocations.map((l) => `${l.store}:${l.ref}`).sort(),
          expiresAt: null,
          reviewDate: null,
        },
        remedy: `Give it an end (keyward identity update ${identity.name} --expires +90d) and reissue it with that expiry at ${identity.origin}.`,
      }),
    ];
  },
};
