/**
 * Real-format private keys, derived from the corpus seed so a corpus is reproducible byte for byte:
 * node:crypto cannot generate keys from a seed, so the key material is made here (RSA primes by
 * Miller-Rabin over BigInt, EC and Ed25519 scalars from seeded bytes) and node:crypto only encodes
 * it (PKCS#1, SEC1, PKCS#8 PEM). OpenSSH's `openssh-key-v1` container is written by hand. Keys are
 * cached per seed: a 2048-bit RSA key costs up to a second.
 */
import { createECDH, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { createRng, type Rng } from './corpus-random.js';

const SMALL_PRIMES: number[] = [];
for (let n = 3; SMALL_PRIMES.length < 300; n += 2) {
  if (SMALL_PRIMES.every((p) => n % p !== 0)) SMALL_PRIMES.push(n);
}

function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  let b = base % mod;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % mod;
    b = (b * b) % mod;
    e >>= 1n;
  }
  return result;
}

function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [a % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return ((oldS % m) + m) % m;
}

const toBig = (b: Buffer): bigint => BigInt(`0x${b.toString('hex')}`);

function isProbablePrime(n: bigint, rng: Rng): boolean {
  for (const p of SMALL_PRIMES) if (n % BigInt(p) === 0n) return n === BigInt(p);
  let d = n - 1n;
  let r = 0;
  while ((d & 1n) === 0n) {
    d >>= 1n;
    r++;
  }
  for (let round = 0; round < 12; round++) {
    const a = 2n + (toBig(rng.bytes(32)) % (n - 4n));
    let x = modPow(a, d, n);
    if (x === 1n || x === n - 1n) continue;
    let composite = true;
    for (let i = 1; i < r; i++) {
      x = (x * x) % n;
      if (x === n - 1n) {
        composite = false;
        break;
      }
    }
    if (composite) return false;
  }
  return true;
}

function randomPrime(bits: number, rng: Rng): bigint {
  for (;;) {
    const bytes = rng.bytes(bits / 8);
    bytes[0]! |= 0xc0; // top two bits: the product has exactly 2 × bits bits
    bytes[bytes.length - 1]! |= 1;
    const candidate = toBig(bytes);
    if (candidate % 65537n !== 1n && isProbablePrime(candidate, rng)) return candidate;
  }
}

const b64u = (n: bigint): string => {
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return Buffer.from(hex, 'hex').toString('base64url');
};

const cache = new Map<string, KeyObject>();

/**
 * One draw from the caller's stream seeds the key's own stream, so the caller's stream advances the
 * same whether the key is generated or found in the cache.
 */
function cached(rng: Rng, label: string, make: (own: Rng) => KeyObject): KeyObject {
  const seed = Math.floor(rng.next() * 4294967296);
  const key = `${label}:${seed}`;
  let k = cache.get(key);
  if (!k) {
    k = make(createRng(seed));
    cache.set(key, k);
  }
  return k;
}

/** A 2048-bit RSA private key drawn from `rng` (`label` names it in the per-process cache). */
export function rsaKey(rng: Rng, label: string): KeyObject {
  return cached(rng, `rsa:${label}`, (own) => {
    const e = 65537n;
    const p = randomPrime(1024, own);
    let q = randomPrime(1024, own);
    while (q === p) q = randomPrime(1024, own);
    const n = p * q;
    const d = modInverse(e, (p - 1n) * (q - 1n));
    const jwk = {
      kty: 'RSA',
      n: b64u(n),
      e: b64u(e),
      d: b64u(d),
      p: b64u(p),
      q: b64u(q),
      dp: b64u(d % (p - 1n)),
      dq: b64u(d % (q - 1n)),
      qi: b64u(modInverse(q, p)),
    };
    return createPrivateKey({ key: jwk, format: 'jwk' });
  });
}

/** A P-256 private key from a seeded scalar. */
export function ecKey(rng: Rng, label: string): KeyObject {
  return cached(rng, `ec:${label}`, (own) => {
    const ecdh = createECDH('prime256v1');
    const d = own.bytes(32);
    d[0]! &= 0x7f; // below the group order
    ecdh.setPrivateKey(d);
    const pub = ecdh.getPublicKey();
    return createPrivateKey({
      key: {
        kty: 'EC',
        crv: 'P-256',
        d: d.toString('base64url'),
        x: pub.subarray(1, 33).toString('base64url'),
        y: pub.subarray(33, 65).toString('base64url'),
      },
      format: 'jwk',
    });
  });
}

export const rsaPem = (key: KeyObject): string => key.export({ type: 'pkcs1', format: 'pem' }).toString();
export const pkcs8Pem = (key: KeyObject): string => key.export({ type: 'pkcs8', format: 'pem' }).toString();
export const ecPem = (key: KeyObject): string => key.export({ type: 'sec1', format: 'pem' }).toString();
export const publicPem = (key: KeyObject): string =>
  createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString();

function sshString(data: Buffer | string): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data) : data;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  return Buffer.concat([len, body]);
}

/** An unencrypted Ed25519 key in OpenSSH's own format (`ssh-keygen -t ed25519`), with its public line. */
export function opensshEd25519(rng: Rng, comment: string): { pem: string; publicLine: string } {
  const seed = rng.bytes(32);
  const priv = createPrivateKey({
    key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const pub = Buffer.from(createPublicKey(priv).export({ format: 'jwk' }).x!, 'base64url');
  const pubBlob = Buffer.concat([sshString('ssh-ed25519'), sshString(pub)]);
  const check = rng.bytes(4);
  let section = Buffer.concat([
    check,
    check,
    sshString('ssh-ed25519'),
    sshString(pub),
    sshString(Buffer.concat([seed, pub])),
    sshString(comment),
  ]);
  const pad: number[] = [];
  for (let i = 1; (section.length + pad.length) % 8 !== 0; i++) pad.push(i);
  section = Buffer.concat([section, Buffer.from(pad)]);
  const blob = Buffer.concat([
    Buffer.from('openssh-key-v1\0'),
    sshString('none'),
    sshString('none'),
    sshString(''),
    Buffer.from([0, 0, 0, 1]),
    sshString(pubBlob),
    sshString(section),
  ]);
  const b64 = blob
    .toString('base64')
    .match(/.{1,70}/g)!
    .join('\n');
  return {
    pem: `-----BEGIN OPENSSH PRIVATE KEY-----\n${b64}\n-----END OPENSSH PRIVATE KEY-----\n`,
    publicLine: `ssh-ed25519 ${pubBlob.toString('base64')} ${comment}`,
  };
}
