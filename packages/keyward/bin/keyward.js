#!/usr/bin/env node
// The `keyward` executable. A committed shim (not the compiled file) so that `npm ci` links it into
// node_modules/.bin on a fresh clone, before the first build; it runs the compiled CLI.
import { existsSync } from 'node:fs';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('keyward: not built yet; run `npm run build` (or `npm start`) first\n');
  process.exit(1);
}
await import(main.href);
