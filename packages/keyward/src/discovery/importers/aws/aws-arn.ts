/**
 * ARNs and what Keyward makes of them: the account an ARN belongs to, the names proposed for IAM
 * principals and policy targets, and the resource kind and sensitivity a policy's Resource pattern
 * implies (by its service: a grant on `arn:aws:kms:…` reaches keys, so it is critical).
 */
import type { Sensitivity } from '@keyward/sdk';

export interface Arn {
  partition: string;
  service: string;
  region: string;
  account: string;
  /** Everything after the account: `role/path/name`, `invoices/*`, `table/orders`. */
  resource: string;
}

export function parseArn(text: string): Arn | undefined {
  const parts = text.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  const [, partition = '', service = '', region = '', account = ''] = parts;
  return { partition, service, region, account, resource: parts.slice(5).join(':') };
}

const ACCOUNT_ID = /^\d{12}$/;
export const isAccountId = (text: string): boolean => ACCOUNT_ID.test(text);

/** The 12-digit account of an ARN, or undefined (AWS-managed policies have account `aws`). */
export function accountOf(arn: string): string | undefined {
  const a = parseArn(arn)?.account;
  return a && isAccountId(a) ? a : undefined;
}

/** `role/service-role/x` → `x`: IAM names are the last path segment. */
export const lastSegment = (resource: string): string => resource.slice(resource.lastIndexOf('/') + 1);

export const hasWildcard = (text: string): boolean => /[*?]/.test(text);

/** The scope of an account: `aws:<account id>`. */
export const scopeOf = (account: string): string => `aws:${account}`;

/** `aws:<acct>` or a bare account id (as `--scope` may be given) → the account id, else undefined. */
export function accountOfScope(scope: string): string | undefined {
  const m = /^(?:aws:)?(\d{12})$/.exec(scope);
  return m?.[1];
}

/** The resource kind a policy's Resource pattern names, by its service. */
export function resourceKindOf(pattern: string): string {
  if (pattern === '*') return 'account';
  const service = parseArn(pattern)?.service ?? '';
  if (service === '*' || service === '') return 'account';
  if (service === 's3') return 'bucket';
  if (service === 'dynamodb' || service === 'rds') return 'database';
  if (service === 'secretsmanager' || service === 'ssm' || service === 'kms') return 'secret_store';
  if (service === 'sqs' || service === 'sns' || service === 'kinesis') return 'queue';
  if (service === 'iam' || service === 'sts') return 'role';
  if (service === 'lambda' || service === 'ecs' || service === 'ec2') return 'service';
  return 'service';
}

export function sensitivityOf(pattern: string): Sensitivity {
  if (pattern === '*') return 'critical';
  const service = parseArn(pattern)?.service ?? '*';
  if (['*', '', 'iam', 'kms', 'secretsmanager'].includes(service)) return 'critical';
  if (['s3', 'dynamodb', 'rds'].includes(service)) return 'high';
  return 'medium';
}

/** Proposed name of a policy target: the ARN without its `arn:` (`aws:s3:::invoices/*`). */
export function patternName(pattern: string, account: string): string {
  if (pattern === '*') return `aws:${account}:*`;
  return (pattern.startsWith('arn:') ? pattern.slice(4) : `aws:${account}:${pattern}`).slice(0, 200);
}

/** Proposed name of a user, role or group: `aws:<acct>:user/<UserName>`. */
export const principalName = (account: string, type: 'user' | 'role' | 'group', name: string): string =>
  `aws:${account}:${type}/${name}`.slice(0, 200);

export const userArn = (account: string, userName: string, path = '/'): string =>
  `arn:aws:iam::${account}:user${path.endsWith('/') ? path : `${path}/`}${userName}`;
