/**
 * The storage conformance suite: every behaviour the contracts of storage-types.ts promise, as
 * vitest cases that any Store implementation must pass. Each case gets a fresh, empty store from
 * `makeStore` (not yet migrated: the suite migrates it, twice concurrently, and checks the outcome)
 * and hands it to `dispose` afterwards.
 */
import { afterEach, beforeEach, describe } from 'vitest';
import { approvalCases } from './conformance/approval-cases.js';
import { chainTextCases, detectionCases } from './conformance/detection-cases.js';
import { discoveryCases } from './conformance/discovery-cases.js';
import { keysCases } from './conformance/keys-cases.js';
import { leaseCases } from './conformance/lease-cases.js';
import { lifecycleCases } from './conformance/lifecycle-cases.js';
import { listCases } from './conformance/list-cases.js';
import { overviewCases } from './conformance/overview-cases.js';
import { policyCases } from './conformance/policy-cases.js';
import { recordCases } from './conformance/record-cases.js';
import { reviewCases } from './conformance/review-cases.js';
import { taskCases } from './conformance/task-cases.js';
import { writeCases } from './conformance/write-cases.js';
import type { Store } from './storage-types.js';

export function describeStoreConformance(
  name: string,
  makeStore: () => Promise<Store>,
  dispose: (store: Store) => Promise<void>,
): void {
  describe(`store conformance [${name}]`, () => {
    let current: Store | undefined;
    let applied: number[][] = [];
    const store = (): Store => {
      if (!current) throw new Error('no store: used outside a test');
      return current;
    };

    beforeEach(async () => {
      current = await makeStore();
      applied = await Promise.all([current.migrate(), current.migrate()]);
    });
    afterEach(async () => {
      const s = current;
      current = undefined;
      if (s) await dispose(s);
    });

    recordCases(store);
    listCases(store);
    writeCases(store, () => applied);
    leaseCases(store);
    keysCases(store);
    taskCases(store);
    policyCases(store);
    approvalCases(store);
    detectionCases(store);
    chainTextCases(store);
    discoveryCases(store);
    lifecycleCases(store);
    reviewCases(store);
    overviewCases(store);
  });
}
