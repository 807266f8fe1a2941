/**
 * `aws iam get-account-authorization-details` as records: users and roles become service accounts
 * (agents when a tag says so), groups become group resources their users are member_of, policies
 * become has_permission edges and trust policies can_assume edges. Several pages (files or
 * concatenated documents) are one export. A record of another account than the batch's is refused.
 */
import type { DiscoveredIdentity, DiscoveredResource, FoundIn, ImportOptions } from '../../import-batch.js';
import { isRecord, jsonPointer, stringField } from '../json-document.js';
import { actionSignals, nameSignals, trustSignals } from './agent-signals.js';
import { accountOf, principalName } from './aws-arn.js';
import { isoDate } from './aws-dates.js';
import type { BatchBuilder } from './batch-builder.js';
import { tagFields } from './identity-tags.js';
import { type AuthDoc, indexPolicies, listOf } from './managed-policies.js';
import { decodeDocument, statementsOf } from './policy-document.js';
import { applyPolicies } from './principal-policies.js';
import { addTrust } from './trust-policy.js';

type Kind = 'user' | 'group' | 'role';
const NAME_KEY = { user: 'UserName', group: 'GroupName', role: 'RoleName' } as const;
const INLINE_KEY = { user: 'UserPolicyList', group: 'GroupPolicyList', role: 'RolePolicyList' } as const;
const LIST_KEY = { user: 'UserDetailList', group: 'GroupDetailList', role: 'RoleDetailList' } as const;

interface Entry {
  doc: AuthDoc;
  item: Record<string, unknown>;
  path: Array<string | number>;
  arn: string;
  name: string;
  foundIn: FoundIn;
}

/** The entries of one list across all pages; a record without Arn/name or of another account is a problem. */
function entries(b: BatchBuilder, docs: readonly AuthDoc[], kind: Kind): Entry[] {
  const out: Entry[] = [];
  for (const doc of docs) {
    for (const { item, path } of listOf(doc, LIST_KEY[kind])) {
      const at = { file: doc.file, path: jsonPointer(path), ...(doc.line ? { line: doc.line } : {}) };
      const arn = isRecord(item) ? stringField(item, 'Arn') : undefined;
      const name = isRecord(item) ? stringField(item, NAME_KEY[kind]) : undefined;
      if (!isRecord(item) || !arn || !name) {
        const missing = [!arn && 'Arn', !name && NAME_KEY[kind]].filter(Boolean).join(' and ');
        b.problem({ ...at, severity: 'error', reason: `${kind} skipped: it has no ${missing}` });
        continue;
      }
      const account = accountOf(arn);
      if (account !== b.account) {
        b.problem({
          ...at,
          severity: 'error',
          reason: `${kind} ${arn} is of account ${account ?? '?'}, not ${b.account}; import each account on its own`,
        });
        continue;
      }
      out.push({ doc, item, path, arn, name, foundIn: at });
    }
  }
  return out;
}

/** Without undefined fields and empty lists or maps (so details stay small and their hash stable). */
const compact = <T extends Record<string, unknown>>(o: T): T =>
  Object.fromEntries(
    Object.entries(o).filter(
      ([, v]) =>
        v !== undefined &&
        !(Array.isArray(v) && v.length === 0) &&
        !(isRecord(v) && Object.keys(v).length === 0),
    ),
  ) as T;

export function readAuthorizationDetails(
  b: BatchBuilder,
  docs: readonly AuthDoc[],
  options: ImportOptions,
): void {
  const policies = indexPolicies(docs, b.problems());
  b.count('policies', policies.size);
  const reportedMissing = new Set<string>();
  const groups = entries(b, docs, 'group');
  const users = entries(b, docs, 'user');
  const roles = entries(b, docs, 'role');
  b.count('groups', groups.length);
  b.count('users', users.length);
  b.count('roles', roles.length);

  const groupArns = new Map<string, string>();
  const groupActions = new Map<string, string[]>();
  for (const g of groups) {
    groupArns.set(g.name, g.arn);
    // The group first, so a statement naming its ARN reaches the group rather than a new resource.
    const group: DiscoveredResource = {
      externalId: g.arn,
      name: principalName(b.account, 'group', g.name),
      kind: 'group',
      sensitivity: 'medium',
      foundIn: g.foundIn,
      labels: { 'aws.type': 'group' },
    };
    b.resource(group);
    const held = applyPolicies(b, g.arn, INLINE_KEY.group, g.item, g.path, g.doc, policies, reportedMissing);
    groupActions.set(g.name, held.allowed);
    group.details = compact({
      arn: g.arn,
      path: stringField(g.item, 'Path'),
      inlinePolicies: held.inline,
      attachedPolicies: held.attached,
      unresolvedPolicies: held.unresolved,
      denies: held.denies,
    });
  }

  const identity = (
    e: Entry,
    kind: 'user' | 'role',
    extra: Partial<DiscoveredIdentity>,
    signals: string[],
  ) => {
    const tags = tagFields(e.item['Tags']);
    const path = stringField(e.item, 'Path') ?? '/';
    const serviceLinked = kind === 'role' && path.startsWith('/aws-service-role/');
    const agentSignals = [...new Set([...nameSignals(e.name, tags.tags), ...signals])];
    const description = kind === 'role' ? stringField(e.item, 'Description') : undefined;
    b.identity({
      externalId: e.arn,
      name: principalName(b.account, kind, e.name),
      kind: tags.declaredAgent ? 'agent' : 'service_account',
      environment: tags.environment ?? options.environment,
      purpose: tags.purpose ?? description?.slice(0, 2000),
      ownerEmail: tags.ownerEmail,
      businessSystem: tags.businessSystem,
      labels: {
        ...tags.labels,
        'aws.type': kind,
        ...(path !== '/' ? { 'aws.path': path.slice(0, 500) } : {}),
        ...(serviceLinked ? { 'aws.service_linked': 'true' } : {}),
      },
      firstSeen: isoDate(e.item['CreateDate']),
      ...(agentSignals.length > 0 ? { agentSignals } : {}),
      foundIn: e.foundIn,
      ...extra,
    });
  };

  for (const u of users) {
    const held = applyPolicies(b, u.arn, INLINE_KEY.user, u.item, u.path, u.doc, policies, reportedMissing);
    const signals = actionSignals(held.allowed);
    const groupNames = Array.isArray(u.item['GroupList'])
      ? u.item['GroupList'].filter((g): g is string => typeof g === 'string')
      : [];
    for (const name of groupNames) {
      const groupArn = groupArns.get(name) ?? `arn:aws:iam::${b.account}:group/${name}`;
      b.edge({ kind: 'member_of', from: u.arn, to: groupArn, foundIn: u.foundIn, details: { group: name } });
      signals.push(...actionSignals(groupActions.get(name) ?? [], `group ${name}`));
    }
    identity(
      u,
      'user',
      {
        details: compact({
          arn: u.arn,
          userId: stringField(u.item, 'UserId'),
          groups: groupNames,
          inlinePolicies: held.inline,
          attachedPolicies: held.attached,
          unresolvedPolicies: held.unresolved,
          denies: held.denies,
          permissionsBoundary: u.item['PermissionsBoundary'],
          tags: tagFields(u.item['Tags']).tags,
        }),
      },
      signals,
    );
  }

  for (const r of roles) {
    const held = applyPolicies(b, r.arn, INLINE_KEY.role, r.item, r.path, r.doc, policies, reportedMissing);
    const trustAt = { file: r.doc.file, path: [...r.path, 'AssumeRolePolicyDocument'] };
    const trustDoc = decodeDocument(r.item['AssumeRolePolicyDocument'], trustAt, b.problems());
    const trust = trustDoc
      ? addTrust(b, r.arn, statementsOf(trustDoc, trustAt, b.problems()), {
          ...r.foundIn,
          path: jsonPointer(trustAt.path),
        })
      : { trusted: [], services: [], denies: [] };
    const lastUsed = isRecord(r.item['RoleLastUsed']) ? r.item['RoleLastUsed'] : undefined;
    const profiles = Array.isArray(r.item['InstanceProfileList']) ? r.item['InstanceProfileList'] : [];
    identity(
      r,
      'role',
      {
        lastSeen: isoDate(lastUsed?.['LastUsedDate']),
        details: compact({
          arn: r.arn,
          roleId: stringField(r.item, 'RoleId'),
          trustedBy: trust.trusted,
          trustDenies: trust.denies,
          inlinePolicies: held.inline,
          attachedPolicies: held.attached,
          unresolvedPolicies: held.unresolved,
          denies: held.denies,
          permissionsBoundary: r.item['PermissionsBoundary'],
          roleLastUsed: lastUsed,
          instanceProfiles: profiles
            .filter(isRecord)
            .map((p) => compact({ name: stringField(p, 'InstanceProfileName'), arn: stringField(p, 'Arn') })),
          maxSessionDuration: r.item['MaxSessionDuration'],
          tags: tagFields(r.item['Tags']).tags,
        }),
      },
      [...actionSignals(held.allowed), ...trustSignals(trust.services)],
    );
  }
}
