/**
 * Secrets of type `kubernetes.io/service-account-token` as credentials of the account their
 * `kubernetes.io/service-account.name` annotation names. Only the SHA-256 of the token is kept (so a
 * token found leaked elsewhere can be matched to its account); no part of the token is stored. The
 * data of every other Secret is never read: those are counted by type and left alone.
 */
import { createHash } from 'node:crypto';
import { isRecord, stringField } from '../json-document.js';
import { creationOf, type K8sContext, namespaceOf } from './k8s-metadata.js';
import type { K8sObject } from './manifest-reader.js';
import { serviceAccountId } from './service-accounts.js';

export const TOKEN_SECRET_TYPE = 'kubernetes.io/service-account-token';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The token of the Secret: `data.token` (base64) decoded, or `stringData.token` as written. */
function tokenOf(secret: K8sObject): { token?: Buffer; problem?: string } {
  const data = isRecord(secret.body['data']) ? secret.body['data'] : {};
  const encoded = stringField(data, 'token')?.replace(/\s+/g, '');
  if (encoded) {
    if (!BASE64.test(encoded) || encoded.length % 4 === 1) return { problem: 'data.token is not base64' };
    return { token: Buffer.from(encoded, 'base64') };
  }
  const plain = isRecord(secret.body['stringData'])
    ? stringField(secret.body['stringData'], 'token')
    : undefined;
  return plain ? { token: Buffer.from(plain, 'utf8') } : {};
}

export function addTokenSecrets(ctx: K8sContext, secrets: readonly K8sObject[]): void {
  for (const s of secrets) {
    const type = typeof s.body['type'] === 'string' && s.body['type'] !== '' ? s.body['type'] : 'Opaque';
    if (type !== TOKEN_SECRET_TYPE) {
      ctx.count(`Secret (ignored: ${type})`);
      continue;
    }
    ctx.count('Secret (service-account token)');
    const ns = namespaceOf(s);
    const account = s.annotations['kubernetes.io/service-account.name']?.trim();
    if (!account) {
      ctx.batch.problems.push({
        ...s.foundIn,
        severity: 'error',
        reason: `token Secret ${ns}/${s.name} has no kubernetes.io/service-account.name annotation; skipped`,
      });
      continue;
    }
    const { token, problem } = tokenOf(s);
    if (problem)
      ctx.batch.problems.push({
        ...s.foundIn,
        severity: 'warning',
        reason: `token Secret ${ns}/${s.name}: ${problem}; imported without its hash`,
      });
    const uid = s.annotations['kubernetes.io/service-account.uid'];
    ctx.batch.credentials.push({
      externalId: `secret/${ns}/${s.name}`,
      identity: serviceAccountId(ns, account),
      kind: 'k8s_service_account_token',
      status: 'active',
      createdAt: creationOf(s),
      ...(token ? { secretSha256: createHash('sha256').update(token).digest('hex') } : {}),
      foundIn: s.foundIn,
      details: {
        secret: s.name,
        namespace: ns,
        ...(uid ? { serviceAccountUid: uid } : {}),
        hasToken: token !== undefined,
      },
    });
  }
}
