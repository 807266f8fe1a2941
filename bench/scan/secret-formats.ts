/**
 * True secrets in the real formats of the providers the scanner knows, drawn from the corpus PRNG at
 * run time (nothing real-looking is committed). Formats follow each provider's documented shape:
 * GitHub and npm tokens carry their CRC32/base62 checksum, AWS key ids their AKIA/ASIA prefix and
 * base32 body, OpenAI project keys the `T3BlbkFJ` marker, Anthropic keys the `AA` tail.
 */
import { createHmac, createSign } from 'node:crypto';
import {
  ALNUM,
  BASE32,
  BASE62,
  BASE64,
  BASE64URL,
  DIGITS,
  HEX,
  LOWER,
  type Rng,
  UPPER,
} from './corpus-random.js';
import { rsaKey } from './pem-keys.js';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(text: string): number {
  let c = 0xffffffff;
  for (const byte of Buffer.from(text)) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Six base62 digits (0-9A-Za-z), zero-padded: the checksum tail of GitHub and npm tokens. */
export function base62Checksum(body: string): string {
  let n = crc32(body);
  let out = '';
  while (n > 0) {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out.padStart(6, '0');
}

/** GitHub classic token (ghp_, gho_, ghs_, ghu_, ghr_): prefix + 30 base62 + checksum of those 30. */
export function githubToken(rng: Rng, prefix: 'ghp' | 'gho' | 'ghs' | 'ghu' | 'ghr'): string {
  const body = rng.chars(BASE62, 30);
  return `${prefix}_${body}${base62Checksum(body)}`;
}

/** Same shape with a checksum that does not verify: never issued by GitHub (a decoy, see corpus). */
export function githubTokenBadChecksum(rng: Rng): string {
  const body = rng.chars(BASE62, 30);
  const good = base62Checksum(body);
  let bad = rng.chars(BASE62, 6);
  while (bad === good) bad = rng.chars(BASE62, 6);
  return `ghp_${body}${bad}`;
}

/** Fine-grained PAT: `github_pat_` + 22 + `_` + 59 (GitHub documents no public checksum for it). */
export const githubFineGrained = (rng: Rng) =>
  `github_pat_11${rng.chars(UPPER + DIGITS, 20)}_${rng.chars(ALNUM, 59)}`;

export function npmToken(rng: Rng): string {
  const body = rng.chars(BASE62, 30);
  return `npm_${body}${base62Checksum(body)}`;
}

export const awsKeyId = (rng: Rng, prefix: 'AKIA' | 'ASIA' = 'AKIA') => `${prefix}${rng.chars(BASE32, 16)}`;
export const awsSecretKey = (rng: Rng) => rng.chars(BASE64, 40);
export const gitlabToken = (rng: Rng) => `glpat-${rng.chars(ALNUM + '-_', 20)}`;
export const slackBot = (rng: Rng) =>
  `xoxb-${rng.chars(DIGITS, 12)}-${rng.chars(DIGITS, 13)}-${rng.chars(ALNUM, 24)}`;
export const slackUser = (rng: Rng) =>
  `xoxp-${rng.chars(DIGITS, 12)}-${rng.chars(DIGITS, 12)}-${rng.chars(DIGITS, 13)}-${rng.chars(HEX, 32)}`;
export const slackWebhook = (rng: Rng) =>
  `https://hooks.slack.com/services/T${rng.chars(UPPER + DIGITS, 8)}/B${rng.chars(UPPER + DIGITS, 10)}/${rng.chars(ALNUM, 24)}`;
export const stripeLive = (rng: Rng, kind: 'sk' | 'rk' = 'sk') => `${kind}_live_51${rng.chars(ALNUM, 97)}`;
export const googleApiKey = (rng: Rng) => `AIza${rng.chars(ALNUM + '-_', 35)}`;
export const azureAccountKey = (rng: Rng) => `${rng.chars(BASE64, 86)}==`;
export const openaiKey = (rng: Rng) =>
  `sk-proj-${rng.chars(BASE64URL, 74)}T3BlbkFJ${rng.chars(BASE64URL, 74)}`;
export const anthropicKey = (rng: Rng) => `sk-ant-api03-${rng.chars(BASE64URL, 93)}AA`;
export const huggingFaceToken = (rng: Rng) => `hf_${rng.chars(UPPER + LOWER, 34)}`;
/** Keyward API token: `kw_` + 32 random bytes in base64url (see auth/api-token-service.ts). */
export const keywardToken = (rng: Rng) => `kw_${rng.bytes(32).toString('base64url')}`;
export const sendgridKey = (rng: Rng) => `SG.${rng.chars(BASE64URL, 22)}.${rng.chars(BASE64URL, 43)}`;
export const twilioApiKey = (rng: Rng) => `SK${rng.chars(HEX, 32)}`;
export const twilioSid = (rng: Rng) => `AC${rng.chars(HEX, 32)}`;
export const twilioAuthToken = (rng: Rng) => rng.chars(HEX, 32);
/** A generated password: mixed classes, 20–32 characters, no quote or shell metacharacters. */
export const password = (rng: Rng) => rng.chars(`${ALNUM}!#%*+-.=@^_~`, rng.between(20, 32));
/** A password fit for a URL's userinfo as written (no characters that would need escaping). */
export const urlPassword = (rng: Rng) => rng.chars(`${ALNUM}-_.!*`, rng.between(20, 32));
export const hexSecret = (rng: Rng, bytes = 32) => rng.chars(HEX, bytes * 2);

const b64json = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An HS256 JWT of an API's own users (the signature is a real HMAC). */
export function hsJwt(rng: Rng, issuer: string, subject: string): string {
  const head = b64json({ alg: 'HS256', typ: 'JWT' });
  const iat = 1_760_000_000 + rng.int(10_000_000);
  const body = b64json({ iss: issuer, sub: subject, iat, exp: iat + 31_536_000, scope: 'admin' });
  const sig = createHmac('sha256', rng.bytes(32)).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

/** A Kubernetes service-account token (legacy secret-based form), RS256-signed with a seeded key. */
export function k8sServiceAccountJwt(rng: Rng, namespace: string, name: string): string {
  const key = rsaKey(rng, `k8s-signer:${namespace}/${name}`);
  const head = b64json({ alg: 'RS256', kid: rng.chars(BASE64URL, 43) });
  const uid = uuid(rng);
  const body = b64json({
    iss: 'kubernetes/serviceaccount',
    'kubernetes.io/serviceaccount/namespace': namespace,
    'kubernetes.io/serviceaccount/secret.name': `${name}-token-${rng.chars(LOWER + DIGITS, 5)}`,
    'kubernetes.io/serviceaccount/service-account.name': name,
    'kubernetes.io/serviceaccount/service-account.uid': uid,
    sub: `system:serviceaccount:${namespace}:${name}`,
  });
  const sig = createSign('RSA-SHA256').update(`${head}.${body}`).sign(key).toString('base64url');
  return `${head}.${body}.${sig}`;
}

export function uuid(rng: Rng): string {
  const h = rng.chars(HEX, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
