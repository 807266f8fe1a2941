// The token bench's load generator, in its own process so autocannon does not share the token
// server's event loop (the same for Keyward and oidc-provider): N connections post the form
// bodies of a JSON file, each once (every body carries a single-use client assertion), for at
// most S seconds. Prints {total, elapsedS, p99, non2xx, errors} as JSON on stdout.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

const [url, bodiesFile, seconds, connections] = process.argv.slice(2);
const bodies = JSON.parse(readFileSync(bodiesFile, 'utf8'));
let next = 0;
// Timed here, to the last response: autocannon reports whole seconds and stops on a 1 s tick.
const started = performance.now();
let lastResponse = started;
const result = await autocannon({
  url,
  connections: Number(connections),
  duration: Number(seconds),
  amount: bodies.length,
  requests: [
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length] }),
      onResponse: () => {
        lastResponse = performance.now();
      },
    },
  ],
});
process.stdout.write(
  JSON.stringify({
    total: result.requests.total,
    elapsedS: (lastResponse - started) / 1000,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  }),
);
