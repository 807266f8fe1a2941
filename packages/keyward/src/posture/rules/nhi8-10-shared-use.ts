/**
 * NHI8 (environment isolation), NHI9 (NHI reuse) and NHI10 (human use of NHI): one identity
 * reaching production and non-production, one identity assumed by many workloads, and an open
 * detection alert that a person is using the identity's credential.
 */
import { isProduction } from '../../inventory/identity-rules.js';
import { hit, isLive, type PostureRule } from '../posture-rule.js';

export const crossEnvironment: PostureRule = {
  id: 'cross-environment',
  code: 'NHI8',
  title: 'One identity used across environments',
  severity: 'high',
  description:
    'has_permission or can_assume edges to resources or identities of two or more environments, production and non-production',
  evaluate(ctx, identity) {
    if (!isLive(identity)) return [];
    const envs = new Set<string>();
    for (const e of ctx.edgesOf(identity.id, 'out')) {
      if (e.kind !== 'has_permission' && e.kind !== 'can_assume') continue;
      const env = ctx.environmentOf(e.id);
      if (env) envs.add(env);
    }
    const list = [...envs].sort();
    if (list.length < 2 || !list.some(isProduction) || list.every(isProduction)) return [];
    return [
      hit(this, identity, {
        title: `${identity.name}: reaches ${list.join(', ')}`,
        evidence: { environments: list },
        remedy: `Split it: one identity per environment (keyward identity add … --env <env>), move the non-production grants to the new one and remove them here (keyward edge rm <edge>).`,
      }),
    ];
  },
};

export const sharedByWorkloads: PostureRule = {
  id: 'shared-by-workloads',
  code: 'NHI9',
  title: 'One identity used by many workloads',
  severity: 'medium',
  description: 'manyWorkloads (5) or more workload identities can assume it',
  evaluate(ctx, identity) {
    if (!isLive(identity)) return [];
    const workloads = ctx
      .edgesOf(identity.id, 'in')
      .filter((e) => e.kind === 'can_assume' && ctx.identityKind(e.id) === 'workload')
      .map((e) => e.id)
      .sort();
    if (workloads.length < ctx.config.manyWorkloads) return [];
    return [
      hit(this, identity, {
        title: `${identity.name}: assumed by ${workloads.length} workloads`,
        evidence: { workloads: workloads.slice(0, 50), count: workloads.length },
        remedy:
          'Give each workload its own identity with only the grants it uses, then remove their can_assume edges to this one (keyward edge rm <edge>).',
      }),
    ];
  },
};

export const humanUse: PostureRule = {
  id: 'human-use',
  code: 'NHI10',
  title: 'A person is using a non-human identity',
  severity: 'high',
  description: 'detection has an open or acknowledged human_use alert for the identity',
  evaluate(ctx, identity) {
    const alerts = ctx.humanUseAlerts(identity.id);
    if (alerts.length === 0) return [];
    return [
      hit(this, identity, {
        title: `${identity.name}: used by a person (${alerts[0]!.title})`,
        evidence: { alerts: alerts.map((a) => a.id).sort() },
        remedy: `Find who (keyward alerts show ${alerts[0]!.id}), give them their own access, and rotate this identity's credential; resolve the alert once done.`,
      }),
    ];
  },
};
