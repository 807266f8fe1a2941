/** Every migration, in order. Append new ones here; the runner applies those not yet recorded. */
import { initial } from './001-initial.js';
import { keysAndWorkloadAuth } from './002-keys-and-workload-auth.js';
import type { Migration } from './migration.js';

export const MIGRATIONS: readonly Migration[] = [initial, keysAndWorkloadAuth];
