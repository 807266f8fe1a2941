/**
 * NHI5 (overprivileged NHI): wildcard or admin-equivalent grants. Its severity follows the reach
 * those grants open: critical when the blast radius holds a critical resource. The BFS runs only
 * for identities already holding a broad grant, so a full evaluation stays cheap.
 */
import { broadGrants, hit, isLive, type PostureRule } from '../posture-rule.js';

export const overPrivileged: PostureRule = {
  id: 'over-privileged',
  code: 'NHI5',
  title: 'Wildcard or admin-equivalent permissions',
  severity: 'high',
  description:
    'has_permission edges discovery flagged wildcard (actions or resources), or granting `*`, `admin`, `owner` or `service:*`; critical when the blast radius reaches a critical resource',
  evaluate(ctx, identity) {
    if (!isLive(identity)) return [];
    const broad = broadGrants(ctx, identity);
    if (broad.length === 0) return [];
    const reach = ctx.reach(identity.id);
    const grants = broad
      .map((g) => ({ to: g.id, sensitivity: g.sensitivity, actions: [...g.actions], why: g.why }))
      .sort((a, b) => a.to.localeCompare(b.to));
    return [
      hit(this, identity, {
        severity: reach.critical > 0 ? 'critical' : reach.high > 0 ? 'high' : 'medium',
        title: `${identity.name}: ${broad.length} wildcard/admin grant(s), reaching ${reach.reachable} node(s), ${reach.critical} critical`,
        evidence: { grants, reach },
        remedy: `Replace the wildcard grants with the actions and resources it uses (see keyward blast-radius ${identity.name}); for AWS, generate a least-privilege policy from CloudTrail (IAM Access Analyzer) and re-import.`,
      }),
    ];
  },
};
