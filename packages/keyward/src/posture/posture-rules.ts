/** Every posture rule, in NHI code order. NHI2 (leaked secrets) is discovery's: see leak-findings.ts. */
import type { PostureRule } from './posture-rule.js';
import { ownerGone, unusedIdentity } from './rules/nhi1-lifecycle.js';
import { thirdPartyBroadGrant } from './rules/nhi3-third-party.js';
import { nonExpiringCredential, passwordAuth, staticKeyFederable } from './rules/nhi4-weak-auth.js';
import { overPrivileged } from './rules/nhi5-over-privileged.js';
import { unusedGrants } from './rules/nhi5-unused-grants.js';
import { broadOidcTrust, ciStaticCloudKey } from './rules/nhi6-ci-cd.js';
import { rotationOverdue, secretWithoutExpiry } from './rules/nhi7-rotation.js';
import { crossEnvironment, humanUse, sharedByWorkloads } from './rules/nhi8-10-shared-use.js';

export const POSTURE_RULES: readonly PostureRule[] = [
  ownerGone,
  unusedIdentity,
  thirdPartyBroadGrant,
  staticKeyFederable,
  nonExpiringCredential,
  passwordAuth,
  overPrivileged,
  unusedGrants,
  ciStaticCloudKey,
  broadOidcTrust,
  rotationOverdue,
  secretWithoutExpiry,
  crossEnvironment,
  sharedByWorkloads,
  humanUse,
];

export const POSTURE_RULE_IDS: ReadonlySet<string> = new Set(POSTURE_RULES.map((r) => r.id));
