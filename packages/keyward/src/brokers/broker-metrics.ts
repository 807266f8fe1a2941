/**
 * Prometheus metrics of the credential broker, on the app's registry: leases by status (read from
 * the store at scrape time, so every process reports the shared truth), the failed revocations
 * still pending, and a counter of revocation attempts by outcome.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { LeaseStatus } from '../storage/storage-types.js';
import type { RevocationObserver } from './lease-revoker.js';

export function registerBrokerMetrics(
  registry: Registry,
  countByStatus: () => Promise<Record<LeaseStatus, number>>,
): RevocationObserver {
  new Gauge({
    name: 'keyward_broker_leases',
    help: 'Brokered credential leases by status',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      const counts = await countByStatus();
      for (const [status, n] of Object.entries(counts)) this.set({ status }, n);
    },
  });
  new Gauge({
    name: 'keyward_broker_revocations_failed_pending',
    help: 'Brokered credentials whose revocation failed and is pending a retry (revoke_failed leases)',
    registers: [registry],
    async collect() {
      this.set((await countByStatus()).revoke_failed);
    },
  });
  const attempts = new Counter({
    name: 'keyward_broker_revocation_attempts_total',
    help: 'Revocation attempts of brokered credentials by outcome',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  return { attempt: (outcome) => attempts.inc({ outcome }) };
}
