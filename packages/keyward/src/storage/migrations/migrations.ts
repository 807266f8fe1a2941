/**
 * Every migration, in order. Append new ones here; the runner applies those not yet recorded.
 * Version 2 is reserved (being written on another branch): versions must increase but may have gaps.
 */
import { initial } from './001-initial.js';
import { keysAndWorkloadAuth } from './002-keys-and-workload-auth.js';
import { credentialLeases } from './003-credential-leases.js';
import { tasksAndRevocation } from './005-tasks-and-revocation.js';
import type { Migration } from './migration.js';

export const MIGRATIONS: readonly Migration[] = [
  initial,
  keysAndWorkloadAuth,
  credentialLeases,
  tasksAndRevocation,
];
