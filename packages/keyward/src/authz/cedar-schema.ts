/**
 * Keyward's published Cedar schema: the `cedar/keyward.cedarschema` file shipped next to dist/,
 * read once. Both src/authz and dist/authz sit two levels below the package root, so one relative
 * URL serves tests (tsx) and the built CLI alike.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SCHEMA_FILE = fileURLToPath(new URL('../../cedar/keyward.cedarschema', import.meta.url));
export const DEFAULT_POLICY_FILE = fileURLToPath(
  new URL('../../cedar/default-policies.cedar', import.meta.url),
);
/** Name of the preparsed schema in each thread's cedar-wasm cache. */
export const SCHEMA_NAME = 'keyward';

let text: string | undefined;

export function schemaText(): string {
  text ??= readFileSync(SCHEMA_FILE, 'utf8');
  return text;
}
