/**
 * Every migration, in order. Versions increase but may have gaps (2 and 3 are reserved for work being
 * merged separately): the runner applies every version not yet recorded, in ascending order.
 * Append new ones here; the runner applies those not yet recorded. */
import { initial } from './001-initial.js';
import { auditChain } from './004-audit-chain.js';
import type { Migration } from './migration.js';

export const MIGRATIONS: readonly Migration[] = [initial, auditChain];
