/**
 * A role's trust policy (AssumeRolePolicyDocument) as can_assume edges into the role: from a user
 * or role of this account (its ARN), of another account (`aws:<other>|<arn>`, joined when that
 * account is imported), from an account as a whole (`account:<id>`, made here), from an AWS service
 * (`service:ec2.amazonaws.com`), from a federated identity provider (`federated:<provider>`, with
 * whether its subject condition lets any repository or branch in), or from anyone (`principal:*`).
 */
import type { FoundIn } from '../../import-batch.js';
import { isRecord } from '../json-document.js';
import { accountOf, hasWildcard, isAccountId, parseArn } from './aws-arn.js';
import type { BatchBuilder } from './batch-builder.js';
import { type Statement, statementSummary } from './policy-document.js';

export interface TrustOutcome {
  /** Who the role trusts, as endpoints, for the role's details. */
  trusted: string[];
  /** Service principals (`bedrock.amazonaws.com` …), for agent signals. */
  services: string[];
  denies: Record<string, unknown>[];
}

const ASSUME_ACTIONS = ['sts:AssumeRole', 'sts:AssumeRoleWithWebIdentity', 'sts:AssumeRoleWithSAML'];

const globRegex = (pattern: string): RegExp =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replaceAll('*', '.*')
      .replaceAll('?', '.')}$`,
    'i',
  );

/** Whether a statement's actions let a principal assume the role (not only tag a session). */
const grantsAssume = (s: Statement): boolean =>
  s.notActions.length > 0 || s.actions.some((a) => ASSUME_ACTIONS.some((x) => globRegex(a).test(x)));

/** Values of condition keys named `key` (case-insensitive), and whether any sits under a *Like operator. */
function conditionValues(condition: Record<string, unknown> | undefined, key: string) {
  const values: Array<{ value: string; like: boolean }> = [];
  for (const [operator, block] of Object.entries(condition ?? {})) {
    if (!isRecord(block)) continue;
    for (const [k, v] of Object.entries(block)) {
      if (k.toLowerCase() !== key.toLowerCase()) continue;
      const list =
        typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x) => typeof x === 'string') : [];
      for (const value of list) values.push({ value, like: /like/i.test(operator) });
    }
  }
  return values;
}

/**
 * Whether an OIDC subject pattern admits any repository or any branch: `*`, `repo:acme/*`,
 * `repo:acme/app:*`, `repo:acme/app:ref:refs/heads/*`. An exact subject, an environment or one
 * branch is narrow. Other providers: any wildcard is broad.
 */
export function isBroadSubject(host: string, sub: { value: string; like: boolean }): boolean {
  if (!sub.like || !hasWildcard(sub.value)) return false;
  if (host !== 'token.actions.githubusercontent.com') return true;
  const m = /^repo:([^:]+):(.*)$/.exec(sub.value);
  if (!m) return true;
  const [, repo = '', rest = ''] = m;
  return hasWildcard(repo) || /^[*?]/.test(rest) || rest === 'ref:refs/heads/*' || rest === '*';
}

function federatedEdge(b: BatchBuilder, provider: string, s: Statement) {
  const saml = provider.includes(':saml-provider/');
  const host = provider.includes('-provider/')
    ? provider.slice(provider.indexOf('-provider/') + 10)
    : provider;
  const externalId = `federated:${provider}`;
  const details: Record<string, unknown> = { federated: provider };
  if (saml) details['saml'] = true;
  else {
    const subs = conditionValues(s.condition, `${host}:sub`);
    details['subjects'] = subs.map((x) => x.value);
    details['broadSubject'] = subs.length === 0 || subs.some((x) => isBroadSubject(host, x));
  }
  return { externalId, name: `aws:${b.account}:federated/${host}`, details };
}

/** The endpoint an AWS principal names, creating the account resource when it is an account. */
function awsPrincipal(b: BatchBuilder, principal: string, foundIn: FoundIn) {
  const arn = parseArn(principal);
  const account = isAccountId(principal) ? principal : accountOf(principal);
  if (!account) return undefined;
  const crossAccount = account !== b.account;
  if (isAccountId(principal) || arn?.resource === 'root') {
    const externalId = `account:${account}`;
    b.resource({
      externalId,
      name: `aws:${account}:account`,
      kind: 'account',
      sensitivity: crossAccount ? 'high' : 'critical',
      foundIn,
      details: { account, ...(crossAccount ? { crossAccount: true } : {}) },
    });
    return { endpoint: externalId, crossAccount, account };
  }
  // A session of a role (`arn:aws:sts::<acct>:assumed-role/<role>/<session>`) is that role.
  const session = arn?.service === 'sts' ? /^assumed-role\/([^/]+)\//.exec(arn.resource) : null;
  const target = session ? `arn:${arn?.partition}:iam::${account}:role/${session[1]}` : principal;
  return { endpoint: crossAccount ? `aws:${account}|${target}` : target, crossAccount, account };
}

export function addTrust(
  b: BatchBuilder,
  roleArn: string,
  statements: readonly Statement[],
  foundIn: FoundIn,
): TrustOutcome {
  const out: TrustOutcome = { trusted: [], services: [], denies: [] };
  for (const s of statements) {
    if (s.effect === 'Deny' || s.notPrincipal) {
      out.denies.push(statementSummary('trust policy', s));
      continue;
    }
    if (!s.principals || !grantsAssume(s)) continue;
    const base = {
      ...(s.sid ? { sid: s.sid } : {}),
      ...(s.condition ? { conditions: s.condition } : {}),
      actions: s.actions,
    };
    const edge = (from: string, details: Record<string, unknown>) => {
      out.trusted.push(from);
      b.edge({ kind: 'can_assume', from, to: roleArn, foundIn, details: { ...base, ...details } });
    };
    if (s.principals.anyone) {
      b.resource({
        externalId: 'principal:*',
        name: `aws:${b.account}:principal/*`,
        kind: 'service',
        sensitivity: 'critical',
        foundIn,
        details: { anyone: true },
      });
      edge('principal:*', { anyone: true });
    }
    for (const p of s.principals.aws) {
      const target = awsPrincipal(b, p, foundIn);
      if (!target) {
        b.problem({
          file: foundIn.file,
          path: foundIn.path,
          severity: 'warning',
          reason: `trust of ${roleArn} names ${p}, not an ARN or account id (a deleted principal's unique id?); skipped`,
        });
        continue;
      }
      edge(target.endpoint, target.crossAccount ? { crossAccount: true, account: target.account } : {});
    }
    for (const service of s.principals.service) {
      out.services.push(service);
      const externalId = `service:${service}`;
      b.resource({
        externalId,
        name: `aws:${b.account}:service/${service}`,
        kind: 'service',
        sensitivity: 'medium',
        foundIn,
      });
      edge(externalId, { service });
    }
    for (const provider of s.principals.federated) {
      const f = federatedEdge(b, provider, s);
      b.resource({ externalId: f.externalId, name: f.name, kind: 'service', sensitivity: 'high', foundIn });
      edge(f.externalId, f.details);
    }
  }
  return out;
}
