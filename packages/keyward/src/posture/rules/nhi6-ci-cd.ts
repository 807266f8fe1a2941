/**
 * NHI6 (insecure cloud deployment configurations): CI/CD holding static cloud keys (GitHub Actions
 * secrets that look like AWS/GCP keys) and roles whose OIDC trust admits any repository or branch,
 * or anyone at all.
 */
import { hit, isLive, type PostureRule } from '../posture-rule.js';

export const ciStaticCloudKey: PostureRule = {
  id: 'ci-static-cloud-key',
  code: 'NHI6',
  title: 'CI/CD pipeline with static cloud keys',
  severity: 'high',
  description: 'the identity can read a GitHub Actions secret discovery flagged as a static cloud key',
  evaluate(ctx, identity) {
    if (!isLive(identity)) return [];
    const secrets = ctx
      .edgesOf(identity.id, 'out')
      .filter((e) => e.kind === 'has_permission' && ctx.nodeDetails(e.id)?.['staticCloudKey'] === true)
      .map((e) => e.id)
      .sort();
    if (secrets.length === 0) return [];
    return [
      hit(this, identity, {
        title: `${identity.name}: CI/CD reads ${secrets.length} static cloud key secret(s)`,
        evidence: { secrets },
        remedy:
          'Use OIDC federation from the workflow (aws-actions/configure-aws-credentials with role-to-assume, a trust narrowed to repo:<org>/<repo>:ref:refs/heads/main), delete the secrets and the keys behind them, then re-import.',
      }),
    ];
  },
};

export const broadOidcTrust: PostureRule = {
  id: 'broad-oidc-trust',
  code: 'NHI6',
  title: 'Over-broad federation trust',
  severity: 'critical',
  description:
    'a can_assume edge into the identity whose trust accepts any subject (any repository or branch) or anyone (`Principal: *`)',
  evaluate(ctx, identity) {
    if (!isLive(identity)) return [];
    const trusts: Array<{ from: string; why: string; subjects?: unknown }> = [];
    for (const e of ctx.edgesOf(identity.id, 'in')) {
      if (e.kind !== 'can_assume') continue;
      const d = ctx.edgeDetails(e.kind, e.id, identity.id);
      // A federated principal recorded with a wildcard subject (`github-actions-oidc:acme/*`)
      // is the same over-broad trust, stated on the principal instead of the trust policy.
      const pattern = ctx.externalIdOf(e.id);
      if (d?.['anyone'] === true) trusts.push({ from: e.id, why: 'anyone' });
      else if (d?.['broadSubject'] === true)
        trusts.push({ from: e.id, why: 'any subject', subjects: d['subjects'] ?? [] });
      else if (pattern?.includes('*')) trusts.push({ from: e.id, why: 'any subject', subjects: [pattern] });
    }
    if (trusts.length === 0) return [];
    trusts.sort((a, b) => a.from.localeCompare(b.from));
    return [
      hit(this, identity, {
        severity: trusts.some((t) => t.why === 'anyone') ? 'critical' : 'high',
        title: `${identity.name}: trust admits ${trusts.map((t) => t.why).join(', ')}`,
        evidence: { trusts },
        remedy:
          'Narrow the trust policy: pin the token.actions.githubusercontent.com:sub condition to repo:<org>/<repo>:ref:refs/heads/<branch> (StringEquals), set the aud condition, never Principal "*"; then re-import.',
      }),
    ];
  },
};
