/**
 * SCRAM-SHA-256 password verifiers (RFC 5802 / RFC 7677), in the form PostgreSQL stores in
 * pg_authid.rolpassword. Keyward sends the verifier, not the password, in CREATE ROLE … PASSWORD:
 * PostgreSQL stores a verifier as is, so the plaintext never reaches the target's statement log.
 * Passwords here are ASCII (base64url), for which SASLprep is the identity.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';

const hmac = (key: Buffer, text: string): Buffer => createHmac('sha256', key).update(text).digest();

function keys(password: string, salt: Buffer, iterations: number) {
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const storedKey = createHash('sha256').update(hmac(salted, 'Client Key')).digest();
  return { storedKey, serverKey: hmac(salted, 'Server Key') };
}

export function scramSha256Verifier(password: string, iterations = 4096): string {
  const salt = randomBytes(16);
  const { storedKey, serverKey } = keys(password, salt, iterations);
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/** Whether `verifier` (as stored by PostgreSQL) accepts `password`. */
export function scramVerifierMatches(verifier: string, password: string): boolean {
  const m = /^SCRAM-SHA-256\$(\d+):([^$]+)\$([^:]+):(.+)$/.exec(verifier);
  if (!m) return false;
  const { storedKey, serverKey } = keys(password, Buffer.from(m[2]!, 'base64'), Number(m[1]));
  return storedKey.toString('base64') === m[3] && serverKey.toString('base64') === m[4];
}
