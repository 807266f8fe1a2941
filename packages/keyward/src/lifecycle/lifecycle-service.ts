/**
 * The lifecycle module's face: the offboarding, expiry, access review and rotation workflows as scheduler jobs, the
 * scheduler itself (started and stopped by app.ts), and `runOnce` for `POST /v1/lifecycle/run`,
 * the CLI and tests.
 */
import type { AuditRecorder } from '../audit/audit-recorder.js';
import type { ApiTokenService } from '../auth/api-token-service.js';
import type { BrokeredDatabaseService } from '../brokers/brokered-database-service.js';
import type { SecretBox } from '../brokers/secret-box.js';
import type { IdentityService } from '../inventory/identity-service.js';
import type { SigningKeyService } from '../keys/signing-key-service.js';
import type { RevocationService } from '../revocation/revocation-service.js';
import type { Store } from '../storage/storage-types.js';
import { createAccessReviews } from './access-reviews.js';
import { createExpiry } from './expiry.js';
import { createLifecycleScheduler, type JobReport, type LifecycleJob } from './lifecycle-scheduler.js';
import { createOffboarding } from './offboarding.js';
import { createRotation } from './rotation.js';
import { createPostgresRotation } from './rotation-postgres.js';
import type { RotationReducer } from './rotation-reducer.js';

export const LIFECYCLE_JOBS = {
  offboarding: 'lifecycle: offboarding',
  expiry: 'lifecycle: expiry',
  reviews: 'access reviews: deadlines',
  rotation: 'rotation: overlaps and schedules',
} as const;

export interface LifecycleDeps {
  store: Store;
  audit: AuditRecorder;
  now: () => Date;
  identities: Pick<IdentityService, 'transition'>;
  revocation: Pick<RevocationService, 'sponsorHook'>;
  offboardingGraceSeconds: number;
  expiryNoticeSeconds: number;
  tokens: Pick<ApiTokenService, 'create' | 'invalidate'>;
  signingKeys: Pick<SigningKeyService, 'rotate'>;
  /** With both, `pg-role:<database>` rotates a brokered database's admin role password. */
  databases?: Pick<BrokeredDatabaseService, 'getRecord' | 'adminConnection'> | undefined;
  secrets?: SecretBox | undefined;
  /** How long a rotated API key stays valid beside its successor; default 24 h. */
  rotationOverlapSeconds?: number | undefined;
  /** Right-sizing before rotation (reduce first, then rotate). */
  rotationReducer?: RotationReducer | undefined;
  onError: (err: unknown, context: string) => void;
}

export interface LifecycleStartOptions {
  /** Period of the scheduler's rounds; 0: only on runOnce. */
  intervalMs: number;
  leaseMs?: number | undefined;
  holder?: string | undefined;
}

export function createLifecycle(deps: LifecycleDeps) {
  const offboarding = createOffboarding({
    store: deps.store,
    audit: deps.audit,
    now: deps.now,
    identities: deps.identities,
    revocation: deps.revocation,
    graceSeconds: deps.offboardingGraceSeconds,
    onError: deps.onError,
  });
  const expiry = createExpiry({
    store: deps.store,
    audit: deps.audit,
    now: deps.now,
    identities: deps.identities,
    noticeSeconds: deps.expiryNoticeSeconds,
  });
  const reviews = createAccessReviews({
    store: deps.store,
    audit: deps.audit,
    now: deps.now,
    identities: deps.identities,
  });
  const rotation = createRotation({
    store: deps.store,
    audit: deps.audit,
    now: deps.now,
    tokens: deps.tokens,
    signingKeys: deps.signingKeys,
    postgres:
      deps.databases && deps.secrets
        ? createPostgresRotation({
            store: deps.store,
            audit: deps.audit,
            now: deps.now,
            databases: deps.databases,
            secrets: deps.secrets,
          })
        : undefined,
    overlapSeconds: deps.rotationOverlapSeconds,
    reducer: deps.rotationReducer,
  });
  const jobs: LifecycleJob[] = [
    { name: LIFECYCLE_JOBS.offboarding, run: offboarding.runAll },
    { name: LIFECYCLE_JOBS.expiry, run: expiry.run },
    { name: LIFECYCLE_JOBS.reviews, run: reviews.runDeadlines },
    { name: LIFECYCLE_JOBS.rotation, run: rotation.runJob },
  ];
  let scheduler: ReturnType<typeof createLifecycleScheduler> | undefined;

  /** Builds the scheduler (once) and, with an interval, starts its timer. */
  function start(options: LifecycleStartOptions): void {
    scheduler ??= createLifecycleScheduler({
      leases: deps.store.schedulerLeases,
      jobs,
      intervalMs: options.intervalMs,
      leaseMs: options.leaseMs,
      holder: options.holder,
      now: deps.now,
      onError: (job, err) => deps.onError(err, `lifecycle job failed: ${job}`),
    });
    scheduler.start();
  }

  /**
   * Runs every job now, through the scheduler's leases: a job another replica holds is reported
   * with `ran: false` and its holder. Before `start` (never, in app.ts) nothing runs.
   */
  function runOnce(): Promise<JobReport[]> {
    if (!scheduler) return Promise.resolve(jobs.map((j) => ({ job: j.name, ran: false })));
    return scheduler.runOnce();
  }

  return {
    offboarding,
    expiry,
    reviews,
    rotation,
    start,
    runOnce,
    holder: () => scheduler?.holder,
    stop: async () => scheduler?.stop(),
  };
}

export type Lifecycle = ReturnType<typeof createLifecycle>;
