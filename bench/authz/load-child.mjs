// The authz HTTP bench's load generator, in its own process so it does not share the server's
// event loop: autocannon with N connections posting the bodies of a JSON file in turn; prints
// autocannon's result as JSON on stdout.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

const [url, token, bodiesFile, seconds, connections] = process.argv.slice(2);
const bodies = JSON.parse(readFileSync(bodiesFile, 'utf8'));
let next = 0;
const result = await autocannon({
  url,
  connections: Number(connections),
  duration: Number(seconds),
  requests: [
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length] }),
    },
  ],
});
process.stdout.write(
  JSON.stringify({
    total: result.requests.total,
    duration: result.duration,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  }),
);
