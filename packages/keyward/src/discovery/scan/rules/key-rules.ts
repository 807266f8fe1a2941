/**
 * Keys and signed tokens: PEM and PGP private keys (multi-line, or on one line with `\n` escapes),
 * Google service-account JSON keys, JWTs (decoded, so a Kubernetes service-account token names its
 * account) and Keyward's own API tokens (matched by the server on the SHA-256 it stores).
 *
 * Fingerprints of PEM keys are over the block from BEGIN to END as it reads decoded: `\n` escapes
 * (JSON, .env) turned into newlines, so the key inside a service-account JSON file and the same
 * key saved as a .pem file have one fingerprint.
 */
import { type BuiltinRule, decodeBase64Url, rule, shannonEntropy } from '../rule-kit.js';

const unescapeNewlines = (s: string) => s.replace(/\\r/g, '').replace(/\\n/g, '\n');

/** The base64 body of a PEM block, without headers (Proc-Type:, DEK-Info:, Comment:) or armour checksum. */
function pemBody(block: string): string {
  const lines = unescapeNewlines(block).split('\n');
  return lines
    .slice(1, -1)
    .filter((l) => !l.includes(':') && !/^=[A-Za-z0-9+/]{4}$/.test(l.trim()))
    .join('')
    .replace(/\s+/g, '');
}

function checkPem(secret: string) {
  const body = pemBody(secret);
  if (body.length < 64 || !/^[A-Za-z0-9+/=]+$/.test(body) || shannonEntropy(body) < 4.5) return false;
  return { secret: unescapeNewlines(secret), preview: body };
}

const SA_KEY =
  /"private_key"\s*:\s*"(?<secret>-----BEGIN (?:RSA )?PRIVATE KEY-----[A-Za-z0-9+/=\\\s]{64,8192}?-----END (?:RSA )?PRIVATE KEY-----)/g;

/** The string value of `"field": "…"` within the JSON object around `offset`. */
function jsonField(text: string, offset: number, field: string): string | undefined {
  const window = text.slice(Math.max(0, offset - 4096), offset + 8192);
  return new RegExp(`"${field}"\\s*:\\s*"([^"\\\\]{1,256})"`).exec(window)?.[1];
}

interface JwtClaims {
  iss?: unknown;
  sub?: unknown;
  name?: unknown;
  'kubernetes.io/serviceaccount/namespace'?: unknown;
  'kubernetes.io/serviceaccount/service-account.name'?: unknown;
  'kubernetes.io'?: { namespace?: unknown; serviceaccount?: { name?: unknown } };
}

function parseJson<T>(s: string | undefined): T | undefined {
  if (s === undefined) return undefined;
  try {
    const v = JSON.parse(s) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as T) : undefined;
  } catch {
    return undefined;
  }
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

function checkJwt(secret: string) {
  const [h, p] = secret.split('.');
  const header = parseJson<{ alg?: unknown }>(decodeBase64Url(h ?? ''));
  const claims = parseJson<JwtClaims>(decodeBase64Url(p ?? ''));
  if (!header || !claims || typeof header.alg !== 'string' || header.alg === 'none') return false;
  // jwt.io's sample token, in every tutorial.
  if (claims.sub === '1234567890' && claims.name === 'John Doe') return false;
  const identifiers: Record<string, string> = {};
  const iss = str(claims.iss);
  const sub = str(claims.sub);
  if (iss) identifiers['jwtIssuer'] = iss;
  if (sub) identifiers['jwtSubject'] = sub;
  const nested = claims['kubernetes.io'];
  const ns = str(claims['kubernetes.io/serviceaccount/namespace']) ?? str(nested?.namespace);
  const name =
    str(claims['kubernetes.io/serviceaccount/service-account.name']) ?? str(nested?.serviceaccount?.name);
  if (ns && name) {
    identifiers['k8sServiceAccount'] = `${ns}/${name}`;
    return {
      identifiers,
      severity: 'high' as const,
      provider: 'kubernetes',
      ruleId: 'kubernetes-service-account-token',
      description: 'Kubernetes service-account token',
    };
  }
  return { identifiers };
}

export const keyRules: BuiltinRule[] = [
  rule(
    'private-key',
    'crypto',
    'critical',
    'Private key (PEM or PGP)',
    ['private key'],
    /-----BEGIN (?:RSA |EC |OPENSSH |DSA |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----[\s\S]{64,16384}?-----END (?:RSA |EC |OPENSSH |DSA |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----/g,
    { check: checkPem },
  ),
  rule(
    'gcp-service-account-key',
    'google',
    'critical',
    'Google Cloud service-account key (JSON)',
    ['service_account'],
    SA_KEY,
    {
      priority: 2,
      check(secret, ctx) {
        const pem = checkPem(secret);
        if (!pem) return false;
        const at = ctx.secretIndex;
        if (jsonField(ctx.text, at, 'type') !== 'service_account') return false;
        const identifiers: Record<string, string> = {};
        const keyId = jsonField(ctx.text, at, 'private_key_id');
        const email = jsonField(ctx.text, at, 'client_email');
        if (keyId) identifiers['gcpPrivateKeyId'] = keyId;
        if (email) identifiers['gcpClientEmail'] = email;
        return { ...pem, identifiers };
      },
    },
  ),
  rule(
    'jwt',
    'jwt',
    'medium',
    'JSON Web Token',
    ['eyj'],
    /(?<![\w-])eyJ[A-Za-z0-9_-]{10,4096}\.eyJ[A-Za-z0-9_-]{10,8192}\.[A-Za-z0-9_-]{16,1024}(?![\w-])/g,
    { anchored: true, check: checkJwt },
  ),
  rule(
    'keyward-api-token',
    'keyward',
    'critical',
    'Keyward API token',
    ['kw_'],
    /(?<![\w-])kw_[A-Za-z0-9_-]{43}(?![\w-])/g,
    { anchored: true, check: () => ({ identifiers: { keywardTokenPrefix: 'kw_' } }) },
  ),
];
