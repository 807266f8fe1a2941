/** The runnable examples in examples/ work against a real server holding the demo estate. */
import { KeywardClient } from '@keyward/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownerLeftReport } from '../../../examples/owner-left-report.js';
import { startTestServer, type TestServer } from './test-server.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer({ demo: true });
});
afterAll(async () => {
  await srv?.close();
});

describe('examples', () => {
  it('owner-left-report lists live identities whose owner has left, widest reach first', async () => {
    const rows = await ownerLeftReport(new KeywardClient({ url: srv.url, token: srv.adminToken }));
    expect(rows.length).toBeGreaterThan(0);
    const leavers = (await srv.keyward.store.humans.list({ active: false }, { limit: 100 })).items.map(
      (h) => h.email,
    );
    for (const row of rows) expect(leavers).toContain(row.formerOwner);
    for (let i = 1; i < rows.length; i++)
      expect(rows[i - 1]!.critical).toBeGreaterThanOrEqual(rows[i]!.critical);
  });
});
