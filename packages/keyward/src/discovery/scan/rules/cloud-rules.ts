/**
 * Cloud providers: AWS access key ids, secret keys (paired with a key id seen within five lines)
 * and session tokens; Google API keys (Gemini when the context says so) and service-account JSON
 * keys; Azure storage and Service Bus keys, client secrets and SAS signatures; DigitalOcean.
 */
import {
  type BuiltinRule,
  type CheckResult,
  charClasses,
  lineAt,
  linesAround,
  rule,
  shannonEntropy,
} from '../rule-kit.js';

const AWS_KEY_ID = /(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Z0-9])/g;

/** The access key id nearest to `offset` within five lines, for pairing a secret key with it. */
function nearbyKeyId(text: string, offset: number): string | undefined {
  const around = linesAround(text, offset, 5);
  let best: string | undefined;
  for (const m of around.matchAll(AWS_KEY_ID)) if (!m[0].includes('EXAMPLE')) best ??= m[0];
  return best;
}

/** Pairing a 40-character secret key with an access key id within five lines, or its key name. */
function checkSecretKey(secret: string, text: string, offset: number, named: boolean) {
  const c = charClasses(secret);
  if (!c.upper || !c.lower || !(c.digit || c.other) || shannonEntropy(secret) < 4.2) return false;
  const keyId = nearbyKeyId(text, offset);
  if (!named && !keyId) return false;
  return keyId ? { identifiers: { awsAccessKeyId: keyId } } : {};
}

const SECRET_KEY = '[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])';

/** `aws_secret_access_key = …`, `"SecretAccessKey": "…"`, `AWS_SECRET=…`. */
const awsSecretKeyNamed = rule(
  'aws-secret-access-key',
  'aws',
  'critical',
  'AWS secret access key',
  ['aws', 'secret'],
  new RegExp(
    `(?:aws|secret)[\\w.-]{0,40}["']?\\s{0,4}(?::=|=>|=|:|,)\\s{0,4}["']?(?<secret>${SECRET_KEY})`,
    'gi',
  ),
  { anchored: true, check: (secret, ctx) => checkSecretKey(secret, ctx.text, ctx.secretIndex, true) },
);

/** A bare 40-character secret key next to an access key id (credentials.csv, two-line configs). */
const awsSecretKeyPaired = rule(
  'aws-secret-access-key',
  'aws',
  'critical',
  'AWS secret access key',
  ['akia', 'asia', 'abia', 'acca'],
  new RegExp(`(?<![A-Za-z0-9/+])${SECRET_KEY}`, 'g'),
  { check: (secret, ctx) => checkSecretKey(secret, ctx.text, ctx.secretIndex, false) },
);

const GEMINI = /gemini|generativelanguage|genai|google[_-]?ai|aistudio|palm[_-]?api/i;

export const cloudRules: BuiltinRule[] = [
  rule(
    'aws-access-key-id',
    'aws',
    'high',
    'AWS access key id',
    ['akia', 'asia', 'abia', 'acca'],
    new RegExp(AWS_KEY_ID.source, 'g'),
    { anchored: true, check: (secret) => ({ identifiers: { awsAccessKeyId: secret } }) },
  ),
  awsSecretKeyNamed,
  awsSecretKeyPaired,
  rule(
    'aws-session-token',
    'aws',
    'high',
    'AWS session token',
    ['fwogzxivyxdz', 'iqojb3jpz2lux2vj'],
    /(?<![A-Za-z0-9/+])(?:FwoGZXIvYXdz|IQoJb3JpZ2luX2Vj)[A-Za-z0-9/+]{100,4000}={0,2}/g,
    { anchored: true },
  ),
  rule(
    'google-api-key',
    'google',
    'high',
    'Google API key',
    ['aiza'],
    /(?<![\w-])AIza[0-9A-Za-z_-]{35}(?![\w-])/g,
    {
      anchored: true,
      check: (_secret, ctx) =>
        GEMINI.test(linesAround(ctx.text, ctx.secretIndex, 5))
          ? { provider: 'google-ai', ruleId: 'google-ai-api-key', description: 'Google AI (Gemini) API key' }
          : {},
    },
  ),
  rule(
    'azure-storage-account-key',
    'azure',
    'critical',
    'Azure storage account key',
    ['accountkey', 'sharedaccesskey'],
    /(?<name>AccountKey|SharedAccessKey)\s*=\s*(?<secret>[A-Za-z0-9+/]{42,86}={1,2})/g,
    {
      anchored: true,
      check(_secret, ctx): CheckResult {
        const line = lineAt(ctx.text, ctx.secretIndex);
        const account = /AccountName=([^;"'\s]+)/.exec(line)?.[1];
        const keyName = /SharedAccessKeyName=([^;"'\s]+)/.exec(line)?.[1];
        if (ctx.match.groups?.['name'] === 'SharedAccessKey')
          return {
            ruleId: 'azure-shared-access-key',
            description: 'Azure Service Bus / Event Hubs shared access key',
            severity: 'high',
            identifiers: keyName ? { azureKeyName: keyName } : {},
          };
        return { identifiers: account ? { azureStorageAccount: account } : {} };
      },
    },
  ),
  rule(
    'azure-client-secret',
    'azure',
    'high',
    'Azure AD (Entra ID) client secret',
    ['q~'],
    /(?<![\w~.-])[A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![\w~.-])/g,
  ),
  rule(
    'azure-sas-token',
    'azure',
    'medium',
    'Azure shared access signature',
    ['sig='],
    /[?&;]sig=(?<secret>[A-Za-z0-9%+/]{30,120}(?:%3D|=){0,2})/g,
    { check: (_s, ctx) => (/[?&;]s[vepr]=/.test(lineAt(ctx.text, ctx.secretIndex)) ? {} : false) },
  ),
  rule(
    'digitalocean-token',
    'digitalocean',
    'high',
    'DigitalOcean token',
    ['dop_v1_', 'doo_v1_', 'dor_v1_'],
    /(?<![\w-])do[opr]_v1_[a-f0-9]{64}(?![\w-])/g,
    { anchored: true },
  ),
];
