/**
 * Decoys: values shaped like secrets that are not (documented example keys, placeholders, hashes,
 * UUIDs, variable references, paths, runs of one character). Precision depends on these as much as
 * recall depends on the rules. Some apply to every rule (an example key is an example whatever its
 * format); the rest only to the generic keyword rule, since a precise prefix rule has already
 * shown the value is a token of that provider.
 */
import { shannonEntropy } from './rule-kit.js';

/** Keys published in provider documentation. */
const DOCUMENTED = new Set([
  'AKIAIOSFODNN7EXAMPLE',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  'AKIAI44QH8DHBEXAMPLE',
  'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY',
  // Azurite / storage emulator account key (devstoreaccount1), published by Microsoft.
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
]);

const PLACEHOLDER =
  /example|sample|dummy|placeholder|redacted|changeme|replace[_-]?me|insert[_-]?(?:your|key|token)|not[_-]?a[_-]?real|(?:your|my)[_-]?(?:api[_-]?|secret[_-]?|access[_-]?)?(?:key|token|secret|password)|<[^>]*>|\$\{[^}]*\}|\{\{[^}]*\}\}|\*{3,}|\.\.\./i;
/**
 * Four-letter markers, in one case only: a random 1,600-character key body holds "fAkE" or "xXxX"
 * case-insensitively about once in thirty keys; long secrets skip them.
 */
const SHORT_MARKERS = /fake|Fake|FAKE|xxxx|XXXX/;

/** Placeholders and example keys: never a finding, whatever the rule. */
export function looksFake(secret: string): boolean {
  return (
    DOCUMENTED.has(secret) || PLACEHOLDER.test(secret) || (secret.length <= 100 && SHORT_MARKERS.test(secret))
  );
}

/**
 * Runs of one character or of consecutive characters (aaaa…, 0123…, abcdef…): true when most of
 * the neighbouring pairs are equal or one apart.
 */
export function isRepetitive(s: string): boolean {
  if (s.length < 8) return false;
  let steady = 0;
  for (let i = 1; i < s.length; i++) {
    const d = s.charCodeAt(i) - s.charCodeAt(i - 1);
    if (d === 0 || d === 1 || d === -1) steady++;
  }
  return steady / (s.length - 1) >= 0.6;
}

/** A long value with little entropy is a pattern, not a random secret. */
export function isLowEntropy(s: string): boolean {
  return s.length >= 20 && shannonEntropy(s) < 3;
}

const HASH_LENGTHS = new Set([32, 40, 64, 96, 128]);
/** md5 / sha1 / git / sha256 / sha384 / sha512 digests in hex. */
export const isHexHash = (s: string): boolean => HASH_LENGTHS.has(s.length) && /^[0-9a-fA-F]+$/.test(s);

export const isUuid = (s: string): boolean =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

/** Subresource-integrity and npm integrity strings. */
export const isIntegrity = (s: string): boolean => /^sha(?:1|256|384|512)-[A-Za-z0-9+/]+=*$/.test(s);

const REFERENCE =
  /^(?:\$[{(]|\$[A-Za-z_]\w*$|%[A-Za-z_]\w*%|%[({]|@|&|!Ref|!Sub|!GetAtt|<%|\{\{|process\.env|import\.meta\.env|os\.environ|os\.getenv|getenv|System\.getenv|ENV\[|env\.|secrets\.|vars\.|config\.|settings\.|self\.|this\.|args\.|params\.|props\.|req\.|request\.|options\.|opts\.)/i;
const DOTTED = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*|\[[^\]]*\])+$/;
const CONSTANT = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;
const WORDS = /^[A-Za-z_-]+$/;

/**
 * `process.env.X`, `${VAR}`, `$VAR`, `%VAR%`, `os.environ[…]`, `settings.API_KEY`, `MY_TOKEN_NAME` …
 * (a random value that merely starts with `$` or `%` is not a reference).
 */
export function isVariableReference(v: string): boolean {
  return REFERENCE.test(v) || DOTTED.test(v) || CONSTANT.test(v) || WORDS.test(v);
}

/** File paths and credential-free URLs (lowercase word segments, or an absolute/relative path). */
export function isPathOrUrl(v: string): boolean {
  if (/^(?:\.{1,2}\/|~\/|\/[\w.-]+\/|[A-Za-z]:\\|file:)/.test(v)) return true;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) return !/\/\/[^/@\s]*:[^/@\s]*@/.test(v);
  return /^[a-z0-9_.-]+(?:\/[a-z0-9_.-]+)+\/?$/.test(v);
}

const TESTISH =
  /(?:^|\/)(?:tests?|__tests__|__mocks__|mocks?|fixtures?|spec|specs|testdata|test-data|examples?|samples?|stubs?)(?:\/|$)|\.(?:test|spec|mock|stories)\.[^/]+$|_test\.[a-z]+$|(?:^|\/)test_[^/]+\.py$/i;
/** Test and example code, where a generic-looking secret is usually a fixture. */
export const isTestPath = (path: string): boolean => TESTISH.test(path);

/** A value a test would make up: mock words, or not very random. */
export const looksMadeUp = (v: string): boolean =>
  /test|mock|fake|dummy|foo|bar|baz|abc|123|secret|password|token|local|dev/i.test(v) ||
  shannonEntropy(v) < 4;

const LOCKFILES =
  /(?:^|\/)(?:package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|bun\.lockb?|Cargo\.lock|poetry\.lock|Pipfile\.lock|composer\.lock|Gemfile\.lock|go\.sum|flake\.lock|packages\.lock\.json|uv\.lock)$/;
/** Lockfiles are all integrity hashes and registry URLs: the generic rule skips them. */
export const isLockfile = (path: string): boolean => LOCKFILES.test(path);

/** Public material that travels with keys: ssh public keys, certificates. */
export const isPublicKeyMaterial = (v: string): boolean =>
  /^(?:ssh-(?:rsa|ed25519|dss)|ecdsa-sha2-|AAAAB3NzaC1|AAAAC3NzaC1|AAAAE2VjZHNh|MII[A-Za-z0-9+/]{1,4}CCA)/.test(
    v,
  );
