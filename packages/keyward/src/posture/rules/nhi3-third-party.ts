/**
 * NHI3 (vulnerable third-party NHI): an OAuth app, bot or GitHub App holding broad grants
 * (wildcard scopes, access to every repository, admin-equivalent actions). A compromise of the
 * vendor is then a compromise of everything it was granted.
 */
import { broadGrants, hit, isLive, type PostureRule } from '../posture-rule.js';

const THIRD_PARTY_KINDS = new Set(['oauth_app', 'bot']);

const isWriteAction = (a: string) => /write|push|delete|admin|\*/i.test(a);

const isThirdParty = (kind: string, labels: Record<string, string>): boolean =>
  THIRD_PARTY_KINDS.has(kind) ||
  labels['github.type'] === 'app' ||
  labels['github.type'] === 'installation' ||
  labels['saas.type'] === 'integration';

export const thirdPartyBroadGrant: PostureRule = {
  id: 'third-party-broad-grant',
  code: 'NHI3',
  title: 'Third-party app with broad grants',
  severity: 'high',
  description:
    'an oauth_app, bot or GitHub App identity with has_permission edges discovery flagged wildcard, with admin-equivalent actions, or with write access to broadGrantCount (10) or more resources',
  evaluate(ctx, identity) {
    if (!isLive(identity) || !isThirdParty(identity.kind, identity.labels)) return [];
    let broad = broadGrants(ctx, identity);
    if (broad.length === 0) {
      // Write access to many resources (an app installed on every repository) is broad too.
      const writes = ctx
        .edgesOf(identity.id, 'out')
        .filter((e) => e.kind === 'has_permission' && e.actions.some(isWriteAction));
      if (writes.length < ctx.config.broadGrantCount) return [];
      broad = writes.map((e) => ({ ...e, why: `write on ${writes.length} resources` }));
    }
    const grants = broad
      .map((g) => ({ to: g.id, actions: [...g.actions], why: g.why }))
      .sort((a, b) => a.to.localeCompare(b.to));
    const critical = broad.some((g) => g.sensitivity === 'critical');
    return [
      hit(this, identity, {
        severity: critical ? 'critical' : 'high',
        title: `${identity.name}: third-party ${identity.kind} with ${broad.length} broad grant(s)`,
        evidence: { kind: identity.kind, origin: identity.origin, grants },
        remedy: `Narrow the app's installation to the repositories and scopes it needs (at ${identity.origin}: the app's installation settings / OAuth scopes), then re-import; remove grants Keyward holds with keyward edge rm <edge>.`,
      }),
    ];
  },
};
