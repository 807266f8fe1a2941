import { postTokenRequests } from './tokens/assertion-load.js';
import { setUpKeywardTokens } from './tokens/keyward-token-setup.js';

const kw = await setUpKeywardTokens(process.env.PGURL ? { databaseUrl: process.env.PGURL } : {});
const r = await postTokenRequests({
  url: `${kw.url}/oauth2/token`,
  client: { clientId: kw.agentId, privateKey: kw.agentKey, kid: kw.kid, audience: kw.url },
  extraParams: { task_id: kw.taskId, resource: kw.resource, scope: kw.scope },
  seconds: Number(process.env.SECS ?? 5),
  count: Number(process.env.COUNT ?? 8000),
});
console.error(JSON.stringify(r));
console.error(JSON.stringify((globalThis as any).__stats));
await kw.close();
