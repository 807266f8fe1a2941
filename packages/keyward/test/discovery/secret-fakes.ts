/**
 * Fake secrets generated at test time, in each provider's real format (random bytes, right
 * lengths, right checksums), so no real-looking secret is ever committed. The checksum here is an
 * independent implementation of GitHub's scheme, not the scanner's.
 */
import { createHash, generateKeyPairSync, randomBytes, randomInt } from 'node:crypto';
import { crc32 } from 'node:zlib';

export const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const B64 = `${BASE62}+/`;
const B64URL = `${BASE62}-_`;
const HEX = '0123456789abcdef';
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Random characters from `alphabet`, with at least one upper, lower and digit when it has them. */
export function rand(n: number, alphabet = BASE62): string {
  for (;;) {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[randomInt(alphabet.length)];
    const needs = [/[A-Z]/, /[a-z]/, /[0-9]/].filter((re) => re.test(alphabet));
    if (n < 12 || needs.every((re) => re.test(s))) return s;
  }
}

export const sha256 = (s: string) => `sha256:${createHash('sha256').update(s).digest('hex')}`;

function base62Checksum(s: string): string {
  let n = crc32(s) >>> 0;
  let out = '';
  while (n > 0) {
    out = BASE62.charAt(n % 62) + out;
    n = Math.floor(n / 62);
  }
  return out.padStart(6, '0');
}

export function githubToken(prefix = 'ghp'): string {
  const random = rand(30);
  return `${prefix}_${random}${base62Checksum(random)}`;
}

const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
export const jwt = (claims: Record<string, unknown>) =>
  `${b64url({ alg: 'RS256', typ: 'JWT', kid: rand(12) })}.${b64url(claims)}.${randomBytes(256).toString('base64url')}`;

export const pkcs8Pem = () =>
  generateKeyPairSync('rsa', { modulusLength: 1024 })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString()
    .trim();
export const rsaPem = () =>
  generateKeyPairSync('rsa', { modulusLength: 1024 })
    .privateKey.export({ type: 'pkcs1', format: 'pem' })
    .toString()
    .trim();
export const ecPem = () =>
  generateKeyPairSync('ec', { namedCurve: 'P-256' })
    .privateKey.export({ type: 'sec1', format: 'pem' })
    .toString()
    .trim();

export function serviceAccountJson(): { text: string; pem: string; keyId: string; email: string } {
  const pem = pkcs8Pem();
  const keyId = rand(40, HEX);
  const email = `deployer@proj-${rand(6, HEX)}.iam.gserviceaccount.com`;
  const text = JSON.stringify(
    {
      type: 'service_account',
      project_id: 'proj',
      private_key_id: keyId,
      private_key: `${pem}\n`,
      client_email: email,
      client_id: String(randomInt(1e9, 9e9)),
      token_uri: 'https://oauth2.googleapis.com/token',
    },
    null,
    2,
  );
  return { text, pem, keyId, email };
}

/** base64 of a 17-19 digit snowflake, as Discord token first segments are. */
const discordToken = () =>
  `${Buffer.from(String(randomInt(1e8, 9e8)) + String(randomInt(1e8, 9e8)) + String(randomInt(10, 99)))
    .toString('base64')
    .replace(/=+$/, '')}.${rand(6, B64URL)}.${rand(38, B64URL)}`;

export interface FakeCase {
  rule: string;
  /** The secret as fingerprinted. */
  secret: string;
  /** A file text holding it. */
  text: string;
  /** A look-alike that must not be reported. */
  decoy: string;
}

const line = (key: string, secret: string) => `${key}=${secret}\n`;

export function fakeCases(): FakeCase[] {
  const awsId = `AKIA${rand(16, BASE32)}`;
  const awsSecret = rand(40, B64);
  const badGithub = `ghp_${rand(36)}`;
  const cases: FakeCase[] = [
    {
      rule: 'aws-access-key-id',
      secret: awsId,
      text: line('AWS_ACCESS_KEY_ID', awsId),
      decoy: line('AWS_ACCESS_KEY_ID', 'AKIAIOSFODNN7EXAMPLE'),
    },
    {
      rule: 'aws-secret-access-key',
      secret: awsSecret,
      text: line('aws_secret_access_key', awsSecret),
      decoy: line('aws_secret_access_key', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'),
    },
    { rule: 'github-token', secret: githubToken('ghp'), text: '', decoy: line('GITHUB_TOKEN', badGithub) },
    {
      rule: 'github-token',
      secret: githubToken('ghs'),
      text: '',
      decoy: line('GITHUB_TOKEN', 'ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'),
    },
    {
      rule: 'github-fine-grained-pat',
      secret: `github_pat_${rand(22)}_${rand(59)}`,
      text: '',
      decoy: line('GH', `github_pat_${'x'.repeat(22)}_${'y'.repeat(59)}`),
    },
    {
      rule: 'gitlab-token',
      secret: `glpat-${rand(20, B64URL)}`,
      text: '',
      decoy: line('GITLAB_TOKEN', 'glpat-<your-token-here>'),
    },
    {
      rule: 'slack-token',
      secret: `xoxb-${rand(11, HEX.slice(0, 10))}-${rand(13, '0123456789')}-${rand(24)}`,
      text: '',
      decoy: line('SLACK', 'xoxb-your-bot-token'),
    },
    {
      rule: 'slack-webhook-url',
      secret: `https://hooks.slack.com/services/T${rand(10, BASE32)}/B${rand(10, BASE32)}/${rand(24)}`,
      text: '',
      decoy: line('HOOK', 'https://hooks.slack.com/services/TXXXXXXXX/BXXXXXXXX/XXXXXXXXXXXXXXXXXXXXXXXX'),
    },
    {
      rule: 'stripe-secret-key',
      secret: `sk_live_${rand(24)}`,
      text: '',
      decoy: line('STRIPE', 'sk_live_xxxxxxxxxxxxxxxxxxxxxxxx'),
    },
    {
      rule: 'google-api-key',
      secret: `AIza${rand(35, B64URL)}`,
      text: '',
      decoy: line('GOOGLE', 'AIzaSyExampleExampleExampleExample123'),
    },
    {
      rule: 'azure-storage-account-key',
      secret: randomBytes(64).toString('base64'),
      text: '',
      decoy:
        'AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;',
    },
    {
      rule: 'azure-client-secret',
      secret: `${rand(3)}8Q~${rand(34, `${BASE62}_~.-`)}`,
      text: '',
      decoy: line('AZ', 'abc8Q~example-example-example-example'),
    },
    {
      rule: 'npm-token',
      secret: `npm_${rand(36)}`,
      text: '',
      decoy: line('NPM_TOKEN', 'npm_000000000000000000000000000000000000'),
    },
    {
      rule: 'openai-api-key',
      secret: `sk-proj-${rand(120, B64URL)}`,
      text: '',
      decoy: line('OPENAI', 'sk-proj-...your-key...'),
    },
    {
      rule: 'openai-api-key',
      secret: `sk-${rand(20)}T3BlbkFJ${rand(20)}`,
      text: '',
      decoy: line('OPENAI', `sk-${'a'.repeat(20)}T3BlbkFJ${'b'.repeat(20)}`),
    },
    {
      rule: 'anthropic-api-key',
      secret: `sk-ant-api03-${rand(93, B64URL)}AA`,
      text: '',
      decoy: line('ANTHROPIC', 'sk-ant-api03-xxxxxxxx'),
    },
    {
      rule: 'huggingface-token',
      secret: `hf_${rand(34, LETTERS)}`,
      text: '',
      decoy: line('HF', 'hf_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'),
    },
    {
      rule: 'keyward-api-token',
      secret: `kw_${randomBytes(32).toString('base64url')}`,
      text: '',
      decoy: line('KEYWARD_TOKEN', 'kw_…'),
    },
    {
      rule: 'twilio-api-key',
      secret: `SK${rand(32, HEX)}`,
      text: '',
      decoy: line('TWILIO', 'SKxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'),
    },
    {
      rule: 'sendgrid-api-key',
      secret: `SG.${rand(22, B64URL)}.${rand(43, B64URL)}`,
      text: '',
      decoy: line('SENDGRID', 'SG.example'),
    },
    {
      rule: 'mailgun-api-key',
      secret: `key-${rand(32, HEX)}`,
      text: '',
      decoy: line('MAILGUN', 'key-00000000000000000000000000000000'),
    },
    {
      rule: 'shopify-token',
      secret: `shpat_${rand(32, HEX)}`,
      text: '',
      decoy: line('SHOPIFY', 'shpat_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'),
    },
    {
      rule: 'datadog-api-key',
      secret: rand(32, HEX),
      text: '',
      decoy: line('DD_API_KEY', '$' + '{DATADOG_API_KEY}'),
    },
    {
      rule: 'discord-bot-token',
      secret: discordToken(),
      text: '',
      decoy: line('DISCORD_TOKEN', `MTIz${rand(20)}.${rand(6)}.${rand(38)}`),
    },
    {
      rule: 'telegram-bot-token',
      secret: `${randomInt(1e8, 2e9)}:AA${rand(33, B64URL)}`,
      text: '',
      decoy: line('TELEGRAM', '123456789:AAxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'),
    },
    {
      rule: 'pypi-token',
      secret: `pypi-AgEIcHlwaS5vcmc${rand(70, B64URL)}`,
      text: '',
      decoy: line('PYPI', 'pypi-AgEIcHlwaS5vcmc...'),
    },
    {
      rule: 'docker-hub-token',
      secret: `dckr_pat_${rand(27, B64URL)}`,
      text: '',
      decoy: line('DOCKER', 'dckr_pat_example'),
    },
    {
      rule: 'vault-token',
      secret: `hvs.${rand(90, B64URL)}`,
      text: '',
      decoy: line('VAULT_TOKEN', 'hvs.xxxxxxxxxxxxxxxxxxxxxxxxxxxx'),
    },
    {
      rule: 'doppler-token',
      secret: `dp.pt.${rand(43)}`,
      text: '',
      decoy: line('DOPPLER', 'dp.pt.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'),
    },
    {
      rule: 'atlassian-api-token',
      secret: `ATATT3xFfGF0${rand(180, B64URL)}`,
      text: '',
      decoy: line('JIRA', 'ATATT3xFfGF0-your-token'),
    },
    {
      rule: 'database-url-password',
      secret: rand(18),
      text: '',
      decoy: 'DATABASE_URL=postgres://postgres:postgres@localhost:5432/app\n',
    },
    {
      rule: 'generic-secret',
      secret: rand(24, `${BASE62}!#%`),
      text: '',
      decoy: 'password = "process.env.DB_PASSWORD_FROM_ENV"\n',
    },
  ];
  for (const c of cases) {
    if (c.text) continue;
    if (c.rule === 'azure-storage-account-key')
      c.text = `DefaultEndpointsProtocol=https;AccountName=acct1;AccountKey=${c.secret};EndpointSuffix=core.windows.net\n`;
    else if (c.rule === 'datadog-api-key') c.text = line('DD_API_KEY', c.secret);
    else if (c.rule === 'database-url-password')
      c.text = `DATABASE_URL=postgresql://app:${c.secret}@db.internal:5432/app\n`;
    else if (c.rule === 'generic-secret') c.text = `db:\n  password: "${c.secret}"\n`;
    else c.text = line('TOKEN_VALUE', c.secret);
  }
  return cases;
}
