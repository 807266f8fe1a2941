/**
 * A hook the inventory services call when a record becomes blocked (an identity disabled or
 * revoked, a human deactivated): it runs inside the same transaction as the status change (so the
 * change, its consequences and their audit events commit together) and returns the work to do
 * after commit (network calls, notifying other replicas).
 */
import type { StoreTx } from '../storage/storage-types.js';

export interface BlockHook {
  inTransaction(tx: StoreTx, id: string, actor: string, reason: string): Promise<() => Promise<void>>;
}
