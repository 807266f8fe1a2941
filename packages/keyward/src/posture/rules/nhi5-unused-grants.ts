/**
 * NHI5 (overprivileged NHI), from real use: granted permissions the identity did not use in the
 * observation window. It judges only identities whose use is observed (at least one allowed
 * decision, or a credential's last-used service, in the window) and that existed for the whole
 * window: an identity nothing observes is NHI1's (unused identity), and a new one has not had time.
 */
import { compareGrants, serviceUses } from '../grant-usage.js';
import { DAY_MS, hit, isLive, type PostureRule } from '../posture-rule.js';

export const unusedGrants: PostureRule = {
  id: 'unused-grants',
  code: 'NHI5',
  title: 'Granted permissions unused in the observation window',
  severity: 'medium',
  description:
    'a live identity with observed use (allowed decisions or a last-used service) in the last observationDays (30) holds has_permission actions it never used there; high when an unused grant is on a high or critical resource',
  evaluate(ctx, identity) {
    if (!isLive(identity)) return [];
    const windowDays = ctx.config.observationDays;
    const since = ctx.now - windowDays * DAY_MS;
    if (Date.parse(identity.firstSeen) > since) return [];
    const grants = ctx.edgesOf(identity.id, 'out').filter((e) => e.kind === 'has_permission');
    if (grants.length === 0) return [];
    const pairs = ctx.usedPairs(identity.id);
    const services = serviceUses(ctx.credentials(identity.id), since);
    if (pairs.length === 0 && services.length === 0) return [];
    const unused = compareGrants(grants, pairs, services).grants.filter((g) => g.unusedActions.length > 0);
    if (unused.length === 0) return [];
    const sensitive = unused.some((g) => g.sensitivity === 'critical' || g.sensitivity === 'high');
    const actions = unused.reduce((n, g) => n + g.unusedActions.length, 0);
    return [
      hit(this, identity, {
        severity: sensitive ? 'high' : 'medium',
        title: `${identity.name}: ${actions} granted action(s) on ${unused.length} node(s) unused in ${windowDays} days`,
        evidence: {
          windowDays,
          unused: unused.map((g) => ({ to: g.resourceId, actions: g.unusedActions })),
        },
        remedy: `Remove the unused grants: keyward posture right-size ${identity.name} --window ${windowDays} proposes the least-privilege policy (Cedar, or IAM JSON for AWS) and the blast radius it removes.`,
      }),
    ];
  },
};
