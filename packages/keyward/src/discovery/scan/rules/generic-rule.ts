/**
 * The generic rule: a random-looking value assigned to a credential-named key, in any of the usual
 * syntaxes (`key = value`, `key: value`, `"key": "value"`, `KEY=value`, `key => value`, XML
 * attributes and elements). It has no provider format to lean on, so it carries every decoy
 * filter: variable references, paths and URLs, hashes, UUIDs, integrity strings, public keys,
 * repetitive or low-entropy values, made-up values in test code, lockfiles. Low or medium severity,
 * and any precise rule matching the same span wins over it.
 */
import {
  isHexHash,
  isIntegrity,
  isLockfile,
  isPathOrUrl,
  isPublicKeyMaterial,
  isRepetitive,
  isTestPath,
  isUuid,
  isVariableReference,
  looksFake,
  looksMadeUp,
} from '../decoys.js';
import { type BuiltinRule, charClasses, decodeBase64Url, rule, shannonEntropy } from '../rule-kit.js';

const KEYS =
  'password|passwd|passphrase|become_pass|pwd|secret|token|api[_.-]?key|apikey|access[_.-]?key|auth|credential|private[_.-]?key|client[_.-]?secret';
const VALUE = '[A-Za-z0-9+/=_.~!@#$%^&*-]';

const GENERIC = new RegExp(
  // `||` and `??`: a literal fallback after an environment lookup (`process.env.JWT_SECRET || "…"`).
  `(?<key>(?:${KEYS})[\\w.-]{0,30})(?:["'\\]]|&quot;)?\\s{0,4}(?::=|=>|=|:|>|\\|\\||\\?\\?)\\s{0,4}(?<quote>["'\`]|&quot;)?` +
    `(?:(?:bearer|basic|token)\\s+)?(?<secret>${VALUE}{16,128})(?!${VALUE})`,
  'gi',
);

/**
 * A random 16-character value has ~3.7 bits/char, a 32+ character one ~4.5; ask a bit less. Hex
 * holds at most 4 bits/char, so random hex scores ~3.6–3.9: ask less of it.
 */
const entropyFloor = (v: string): number =>
  /^[0-9a-f]+$/i.test(v) ? 3.2 : Math.min(3.8, 0.8 * Math.log2(v.length));

/** `dGVzdHRlc3R0ZXN0dGVzdA==` is base64 of "testtesttesttest": judge what it decodes to. */
function base64OfNothing(v: string): boolean {
  if (v.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(v)) return false;
  const decoded = decodeBase64Url(v);
  if (decoded === undefined || !/^[\x20-\x7e]+$/.test(decoded)) return false;
  return looksFake(decoded) || (decoded.length >= 8 && shannonEntropy(decoded) < 3);
}

/** Source code, where an unquoted value is an expression (a variable, a call), never a literal secret. */
const CODE = /\.(?:[cm]?[jt]sx?|py|go|java|kt|kts|scala|rb|php|cs|rs|swift|c|cc|cpp|h|hpp|dart|lua|groovy)$/i;

/**
 * A hex value under a secret's own name (`SESSION_SECRET=<64 hex>`) is a random secret hex-encoded,
 * not a hash; under a hash's or an id's name (`secret_sha256`, `private_key_id`) it is not a secret.
 */
const SECRET_NAMED = /secret|token|passw|passphrase|private/;
const HASH_NAMED = /hash|sha|md5|digest|checksum|sum\b|fingerprint|commit|etag|rev|(?:^|[_.-])id["']?$/;

export function isDecoyValue(v: string, path: string, key = ''): boolean {
  const hexSecret = SECRET_NAMED.test(key) && !HASH_NAMED.test(key);
  if (isVariableReference(v) || isPathOrUrl(v) || (isHexHash(v) && !hexSecret) || isUuid(v) || isIntegrity(v))
    return true;
  if (isPublicKeyMaterial(v) || isRepetitive(v) || base64OfNothing(v)) return true;
  const c = charClasses(v);
  const classes = Number(c.lower) + Number(c.upper) + Number(c.digit) + Number(c.other);
  if (!((c.lower || c.upper) && c.digit) && classes < 3) return true;
  if (shannonEntropy(v) < entropyFloor(v)) return true;
  return isTestPath(path) && looksMadeUp(v);
}

export const genericRule: BuiltinRule = rule(
  'generic-secret',
  'generic',
  'medium',
  'High-entropy value assigned to a credential-named key',
  [
    'password',
    'passwd',
    'passphrase',
    'become_pass',
    'pwd',
    'secret',
    'token',
    'api_key',
    'apikey',
    'api-key',
    'api.key',
    'access_key',
    'accesskey',
    'access-key',
    'access.key',
    'auth',
    'credential',
    'private_key',
    'privatekey',
    'private-key',
    'private.key',
    'client_secret',
    'clientsecret',
    'client-secret',
    'client.secret',
  ],
  GENERIC,
  {
    generic: true,
    anchored: true,
    priority: 0,
    check(secret, ctx) {
      const key = (ctx.match.groups?.['key'] ?? '').toLowerCase();
      if (isLockfile(ctx.path) || isDecoyValue(secret, ctx.path, key)) return false;
      if (ctx.match.groups?.['quote'] === undefined && CODE.test(ctx.path)) return false;
      const next = ctx.text.charCodeAt(ctx.secretIndex + secret.length);
      // A call, an index, or a template interpolation (`…${x}`): not a literal secret.
      if (next === 40 /* ( */ || next === 91 /* [ */ || next === 123 /* { */) return false;
      return /^auth(?!.*(?:token|key|secret|pass))/.test(key) || key.startsWith('token')
        ? { severity: 'low' }
        : {};
    },
  },
);
