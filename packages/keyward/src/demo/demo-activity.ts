/**
 * What the demo estate shows beyond its inventory, made through the real paths: someone opens
 * the warehouse console in a browser with the shared analytics key (detection raises a human-use
 * alert, posture shows NHI10), and a secret scan of a repository finds an AWS key pair committed
 * to it (an NHI2 leaked-secret finding). The key pair is random per demo, so nothing that looks
 * like a secret is committed to Keyward's own repository.
 */
import { randomInt } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ActivityService } from '../detection/activity-service.js';
import type { ScanEntry } from '../discovery/scan/scan-types.js';
import type { ScanService } from '../discovery/scan-service.js';
import type { Store } from '../storage/storage-types.js';

const USER_AGENT =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15';

/** Reports the demo's human use; a no-op when the demo identities are not there. */
export async function recordDemoActivity(
  store: Pick<Store, 'identities' | 'resources'>,
  activity: Pick<ActivityService, 'record'>,
): Promise<boolean> {
  const key = (await store.identities.list({ q: 'analytics-shared-key' }, { limit: 5 })).items.find(
    (i) => i.name === 'analytics-shared-key',
  );
  if (!key) return false;
  const warehouse = (await store.resources.list({ q: 'snowflake-analytics-prod' }, { limit: 5 })).items.find(
    (r) => r.name === 'snowflake-analytics-prod',
  );
  await activity.record('demo:snowflake', [
    {
      identityId: key.id,
      action: 'query',
      ...(warehouse ? { target: warehouse.id } : {}),
      source: { ip: '203.0.113.77', userAgent: USER_AGENT },
      records: 1200,
    },
  ]);
  return true;
}

const randomOf = (alphabet: string, n: number): string =>
  Array.from({ length: n }, () => alphabet[randomInt(alphabet.length)]).join('');

/** Scans a generated checkout holding a committed AWS key pair and records the scan. */
export async function recordDemoLeak(
  scans: Pick<ScanService, 'record'>,
  scanTree: ScanEntry,
): Promise<number> {
  const dir = mkdtempSync(path.join(tmpdir(), 'keyward-demo-scan-'));
  try {
    mkdirSync(path.join(dir, 'deploy'));
    const keyId = `AKIA${randomOf('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}`;
    const secret = randomOf('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+', 40);
    writeFileSync(
      path.join(dir, 'deploy', 'staging.env'),
      `# copied from a laptop for a quick fix\nAWS_ACCESS_KEY_ID=${keyId}\nAWS_SECRET_ACCESS_KEY=${secret}\nAWS_REGION=eu-west-1\n`,
    );
    const result = await scanTree(dir, { workers: 0 });
    await scans.record('system', 'github.com/acme/payments-api', result);
    return result.findings.length;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
