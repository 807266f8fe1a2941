/**
/**
 * Every migration, in order. Versions increase but may have gaps (a version may be reserved for work
 * merged later): the runner applies every version not yet recorded, in ascending order.
 */
import { initial } from './001-initial.js';
import { keysAndWorkloadAuth } from './002-keys-and-workload-auth.js';
import { credentialLeases } from './003-credential-leases.js';
import { auditChain } from './004-audit-chain.js';
import { tasksAndRevocation } from './005-tasks-and-revocation.js';
import { policyVersions } from './006-policy-versions.js';
import { approvals } from './007-approvals.js';
import { detection } from './009-detection.js';
import { discovery } from './010-discovery.js';
import { lifecycle } from './011-lifecycle.js';
import { accessReviews } from './012-access-reviews.js';
import { rotation } from './013-rotation.js';
import { overviewIndexes } from './014-overview-indexes.js';
import type { Migration } from './migration.js';

export const MIGRATIONS: readonly Migration[] = [
  initial,
  keysAndWorkloadAuth,
  credentialLeases,
  auditChain,
  tasksAndRevocation,
  policyVersions,
  approvals,
  detection,
  discovery,
  lifecycle,
  accessReviews,
  rotation,
  overviewIndexes,
];
