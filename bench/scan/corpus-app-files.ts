// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${X}` references are what the corpus writes, not mistakes.
/**
 * The corpus's application side: env files, service code in several languages, app configs
 * (JSON/YAML/TOML/INI/properties), notebooks and recorded test fixtures, each with true secrets in
 * the places they leak in practice (string literals, fallbacks, comments, URLs, multi-line
 * strings) next to the look-alikes that must not be reported (env references, placeholders,
 * hashes, ids).
 */
import type { CorpusWriter, Doc } from './corpus-doc.js';
import { ALNUM, BASE64, HEX, type Rng } from './corpus-random.js';
import { ecKey, ecPem, pkcs8Pem, rsaKey } from './pem-keys.js';
import * as f from './secret-formats.js';

type S = Omit<Parameters<Doc['s']>[0], 'secret'>;

export function dbUrl(d: Doc, r: Rng, scheme: 'postgres' | 'mysql' | 'mongodb+srv' | 'redis'): string {
  const pw = f.urlPassword(r);
  const hosts = {
    postgres: ['db.internal', 'prod-db.cluster-c9x.eu-west-1.rds.amazonaws.com'],
    mysql: ['legacy-db.internal', 'mysql.prod.internal'],
    'mongodb+srv': ['cluster0.a1b2c.mongodb.net'],
    redis: ['cache.internal', 'redis-master.payments.svc'],
  };
  const host = r.pick(hosts[scheme]);
  const url =
    scheme === 'redis'
      ? `redis://default:${pw}@${host}:6379/0`
      : scheme === 'mongodb+srv'
        ? `mongodb+srv://app_user:${pw}@${host}/orders?retryWrites=true&w=majority`
        : `${scheme}://app_user:${pw}@${host}:${scheme === 'mysql' ? 3306 : 5432}/app`;
  return d.s({
    provider: 'database',
    kind: `${scheme}-url`,
    secret: pw,
    text: url,
    alt: [url],
    match: 'location',
  });
}

const sec = (d: Doc, secret: string, spec: S) => d.s({ ...spec, secret });

export function pemSpec(pem: string, kind: string, indent = ''): Parameters<Doc['s']>[0] {
  const trimmed = pem.trim();
  const text = trimmed
    .split('\n')
    .map((l, i) => (i === 0 ? l : indent + l))
    .join('\n');
  return {
    provider: 'private-key',
    kind,
    secret: trimmed,
    text,
    match: 'location',
    alt: [`${trimmed}\n`, trimmed.split('\n').slice(1, -1).join('')],
  };
}

export function writeAppFiles(w: CorpusWriter, r: Rng): void {
  w.file('.env', (d) => {
    d.line('# local development: copied from 1password "platform-dev"');
    d.line(`NODE_ENV=development`, `PORT=8080`);
    d.line(`DATABASE_URL=${dbUrl(d, r, 'postgres')}`);
    d.line(`REDIS_URL=${dbUrl(d, r, 'redis')}`);
    d.line(`STRIPE_SECRET_KEY=${sec(d, f.stripeLive(r), { provider: 'stripe', kind: 'stripe-secret-key' })}`);
    d.line(`OPENAI_API_KEY=${sec(d, f.openaiKey(r), { provider: 'openai', kind: 'openai-project-key' })}`);
    d.line(
      `SENDGRID_API_KEY=${sec(d, f.sendgridKey(r), { provider: 'sendgrid', kind: 'sendgrid-api-key' })}`,
    );
    d.line(`SESSION_SECRET=${sec(d, f.hexSecret(r), { provider: 'generic', kind: 'generic-secret' })}`);
    d.line(`LOG_LEVEL=debug`, `FEATURE_FLAGS_URL=https://flags.internal.example.com`);
    d.line(`REQUEST_ID_SEED=${d.d('uuid', f.uuid(r))}`);
  });
  w.file('.env.example', (d) => {
    d.line('# copy to .env and fill in');
    d.line(`DATABASE_URL=${d.d('placeholder', 'postgres://user:<password>@localhost:5432/app')}`);
    d.line(`STRIPE_SECRET_KEY=${d.d('placeholder', 'sk_live_xxxxxxxxxxxxxxxxxxxxxxxx')}`);
    d.line(`OPENAI_API_KEY=${d.d('placeholder', 'your-api-key-here')}`);
    d.line(`SENDGRID_API_KEY=${d.d('placeholder', '<token>')}`);
    d.line(`SESSION_SECRET=${d.d('placeholder', 'changeme')}`);
    d.line(`GITHUB_TOKEN=${d.d('placeholder', 'ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx')}`);
    d.line(`AWS_ACCESS_KEY_ID=${d.d('aws-example', 'AKIAIOSFODNN7EXAMPLE')}`);
    d.line(`AWS_SECRET_ACCESS_KEY=${d.d('aws-example', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')}`);
    d.line(`HF_TOKEN=${d.d('placeholder', '${HF_TOKEN}')}`);
  });
  w.file('.env.production', (d) => {
    d.line(`DATABASE_URL=${dbUrl(d, r, 'mysql')}`);
    d.line(`MONGO_URL="${dbUrl(d, r, 'mongodb+srv')}"`);
    d.line(
      `ANTHROPIC_API_KEY=${sec(d, f.anthropicKey(r), { provider: 'anthropic', kind: 'anthropic-api-key' })}`,
    );
    d.line(
      `HUGGINGFACE_TOKEN=${sec(d, f.huggingFaceToken(r), { provider: 'huggingface', kind: 'huggingface-token' })}`,
    );
    d.line(`KEYWARD_TOKEN=${sec(d, f.keywardToken(r), { provider: 'keyward', kind: 'keyward-api-token' })}`);
    d.line(`TWILIO_ACCOUNT_SID=${f.twilioSid(r)}`);
    d.line(
      `TWILIO_AUTH_TOKEN=${sec(d, f.twilioAuthToken(r), { provider: 'twilio', kind: 'twilio-auth-token' })}`,
    );
  });

  w.file('services/api/src/config.ts', (d) => {
    d.line('/** Runtime configuration; every value can be overridden from the environment. */');
    d.line('export const config = {');
    d.line(`  port: Number(process.env.PORT ?? 8080),`);
    d.line(
      `  stripeKey: process.env.STRIPE_SECRET_KEY ?? '${sec(d, f.stripeLive(r), { provider: 'stripe', kind: 'stripe-secret-key' })}',`,
    );
    d.line(`  sendgridKey: ${d.d('env-ref', 'process.env.SENDGRID_API_KEY')},`);
    d.line(
      `  jwtSecret: process.env.JWT_SECRET || "${sec(d, f.password(r), { provider: 'generic', kind: 'generic-secret' })}",`,
    );
    d.line(`  openai: { apiKey: ${d.d('env-ref', "process.env['OPENAI_API_KEY']")}, model: 'gpt-4o-mini' },`);
    d.line(`  buildSha: '${d.d('git-sha', r.chars(HEX, 40))}',`);
    d.line('};');
  });
  w.file('services/api/src/clients/slack.ts', (d) => {
    d.line("import { WebClient } from '@slack/web-api';", '');
    d.line('// TODO(ops): move to the secret store before launch');
    d.line(
      `const SLACK_BOT_TOKEN = '${sec(d, f.slackBot(r), { provider: 'slack', kind: 'slack-bot-token' })}';`,
    );
    d.line(`const ALERTS_WEBHOOK =`);
    d.line(`  '${d.s({ ...webhook(r), provider: 'slack', kind: 'slack-webhook', match: 'location' })}';`);
    d.line('export const slack = new WebClient(SLACK_BOT_TOKEN);');
    d.line(
      `export const channelId = '${d.d('random-id', `C0${r.chars('ABCDEFGHJKLMNPQRSTUVWXYZ0123456789', 9)}`)}';`,
    );
    d.line('export async function alert(text: string) {');
    d.line("  await fetch(ALERTS_WEBHOOK, { method: 'POST', body: JSON.stringify({ text }) });", '}');
  });
  w.file('services/api/src/clients/github.ts', (d) => {
    d.line("import { Octokit } from '@octokit/rest';", '');
    d.line(
      `// old token, revoked? ${sec(d, f.githubToken(r, 'ghp'), { provider: 'github', kind: 'github-classic' })}`,
    );
    d.line(`export const octokit = new Octokit({ auth: ${d.d('env-ref', 'process.env.GITHUB_TOKEN')} });`);
    d.line(
      `const APP_INSTALLATION_TOKEN = "${sec(d, f.githubToken(r, 'ghs'), { provider: 'github', kind: 'github-classic' })}";`,
    );
    d.line(
      `export const oauthToken = \`${sec(d, f.githubToken(r, 'gho'), { provider: 'github', kind: 'github-classic' })}\`;`,
    );
    d.line(`export const releaseCommit = '${d.d('git-sha', r.chars(HEX, 40))}';`);
    d.line('export const installation = { token: APP_INSTALLATION_TOKEN };');
  });
  w.file('services/api/src/auth/signing.ts', (d) => {
    const key = pkcs8Pem(rsaKey(r, 'api-signing'));
    d.line("import { createPrivateKey } from 'node:crypto';", '');
    d.line('// The signing key for session cookies (dev only!)');
    d.line(`const PRIVATE_KEY = \`${d.s(pemSpec(key, 'pkcs8-private-key'))}\`;`);
    d.line('export const signingKey = createPrivateKey(PRIVATE_KEY);');
    d.line(`export const keyId = '${d.d('hash', r.chars(HEX, 64))}';`);
  });
  w.file('services/api/src/auth/tokens.ts', (d) => {
    d.line("import { verify } from './jwt.js';", '');
    d.line('// service-to-service token used by the nightly export');
    d.line(
      `export const EXPORT_TOKEN = '${sec(d, f.hsJwt(r, 'https://auth.acme.dev', 'svc-export'), { provider: 'jwt', kind: 'jwt' })}';`,
    );
    d.line(
      `export const ADMIN_API_KEY = "${sec(d, f.keywardToken(r), { provider: 'keyward', kind: 'keyward-api-token' })}";`,
    );
    d.line(`export const tokenHeader = ${d.d('keyword-non-secret', "'X-Api-Token'")};`);
    d.line(`export const passwordMinLength = ${d.d('keyword-non-secret', '12')};`);
    d.line(`export const secretName = ${d.d('keyword-non-secret', "'prod/api/session-secret'")};`);
  });
  w.file('services/worker/app/storage.py', (d) => {
    d.line('import boto3', '');
    d.line('# hard-coded while the IAM role is being fixed (JIRA OPS-2211)');
    d.line('s3 = boto3.client(');
    d.line('    "s3",');
    d.line(
      `    aws_access_key_id="${sec(d, f.awsKeyId(r), { provider: 'aws', kind: 'aws-access-key-id' })}",`,
    );
    d.line(
      `    aws_secret_access_key="${sec(d, f.awsSecretKey(r), { provider: 'aws', kind: 'aws-secret-access-key' })}",`,
    );
    d.line(')');
    d.line(`BUCKET_ETAG = "${d.d('hash', r.chars(HEX, 32))}"  # md5 of the manifest`);
    d.line(`DEFAULT_REGION = os.environ.get("AWS_REGION", "eu-west-1")`);
    d.line(`secret = ${d.d('env-ref', 'os.environ["AWS_SECRET_ACCESS_KEY"]')}`);
  });
  w.file('services/worker/app/llm.py', (d) => {
    d.line('import anthropic', 'from huggingface_hub import login', '');
    d.line(
      `client = anthropic.Anthropic(api_key="${sec(d, f.anthropicKey(r), { provider: 'anthropic', kind: 'anthropic-api-key' })}")`,
    );
    d.line(
      `login(token='${sec(d, f.huggingFaceToken(r), { provider: 'huggingface', kind: 'huggingface-token' })}')`,
    );
    d.line(`MODEL_SHA = "${d.d('hash', r.chars(HEX, 40))}"`);
    d.line(`RUN_ID = "${d.d('uuid', f.uuid(r))}"`);
  });
  w.file('services/worker/app/db.py', (d) => {
    const key = ecPem(ecKey(r, 'worker-ec'));
    d.line('import psycopg', '');
    d.line(`DSN = "${dbUrl(d, r, 'postgres')}"`);
    d.line('CLIENT_KEY = """');
    d.line(d.s(pemSpec(key, 'ec-private-key')));
    d.line('"""');
    d.line(`password = ${d.d('env-ref', 'os.getenv("DB_PASSWORD")')}`);
  });
  w.file('services/billing/twilio.go', (d) => {
    d.line('package billing', '', 'import "github.com/twilio/twilio-go"', '');
    d.line('const (');
    d.line(`\ttwilioAccountSid = "${f.twilioSid(r)}"`);
    d.line(
      `\ttwilioAPIKey     = "${sec(d, f.twilioApiKey(r), { provider: 'twilio', kind: 'twilio-api-key' })}"`,
    );
    d.line(
      `\ttwilioAPISecret  = "${sec(d, r.chars(ALNUM, 32), { provider: 'twilio', kind: 'twilio-api-secret' })}"`,
    );
    d.line(')');
    d.line(`// build ${d.d('git-sha', r.chars(HEX, 40))}`);
  });
  w.file('services/billing/azure.go', (d) => {
    const account = `acmebilling${r.chars('abcdefghijklmnopqrstuvwxyz', 4)}`;
    const key = f.azureAccountKey(r);
    const conn = `DefaultEndpointsProtocol=https;AccountName=${account};AccountKey=${key};EndpointSuffix=core.windows.net`;
    d.line('package billing', '');
    d.line(
      `var storageConnection = "${d.s({ provider: 'azure', kind: 'azure-storage-connection-string', secret: key, text: conn, alt: [conn], match: 'location' })}"`,
    );
    d.line(`var containerID = "${d.d('uuid', f.uuid(r))}"`);
  });
  w.file('services/legacy/src/main/resources/application.properties', (d) => {
    d.line('spring.application.name=legacy-orders');
    d.line('spring.datasource.url=jdbc:mysql://legacy-db.internal:3306/orders');
    d.line('spring.datasource.username=orders_app');
    d.line(
      `spring.datasource.password=${sec(d, f.password(r), { provider: 'generic', kind: 'generic-password' })}`,
    );
    d.line(`spring.mail.password=${d.d('env-ref', '${MAIL_PASSWORD}')}`);
    d.line(
      `app.google.maps-key=${sec(d, f.googleApiKey(r), { provider: 'google', kind: 'google-api-key' })}`,
    );
  });
  w.file('services/legacy/src/main/java/com/acme/legacy/Mailer.java', (d) => {
    d.line('package com.acme.legacy;', '', 'public final class Mailer {');
    d.line(
      `    private static final String SENDGRID_KEY = "${sec(d, f.sendgridKey(r), { provider: 'sendgrid', kind: 'sendgrid-api-key' })}";`,
    );
    d.line(`    private static final String TEMPLATE_ID = "d-${d.d('hash', r.chars(HEX, 32))}";`);
    d.line('}');
  });
  w.file('services/ruby-app/config/database.yml', (d) => {
    d.line('default: &default', '  adapter: postgresql', '  pool: 5', '');
    d.line(
      'development:',
      '  <<: *default',
      '  database: app_dev',
      `  password: ${d.d('placeholder', 'changeme')}`,
      '',
    );
    d.line('production:', '  <<: *default', '  database: app_prod', '  username: app');
    d.line(`  password: "${sec(d, f.password(r), { provider: 'generic', kind: 'generic-password' })}"`);
    d.line(`  url: ${d.d('env-ref', "<%= ENV['DATABASE_URL'] %>")}`);
  });
  w.file('config/app.toml', (d) => {
    d.line('[server]', 'host = "0.0.0.0"', 'port = 8443', '');
    d.line('[auth]', `client_id = "${d.d('uuid', f.uuid(r))}"`);
    d.line(`client_secret = "${sec(d, f.password(r), { provider: 'generic', kind: 'generic-secret' })}"`);
    d.line('', '[integrations.gitlab]');
    d.line(`token = "${sec(d, f.gitlabToken(r), { provider: 'gitlab', kind: 'gitlab-pat' })}"`);
    d.line('', '[integrations.openai]', `api_key = "${d.d('placeholder', 'sk-...')}"`);
  });
  w.file('config/credentials.ini', (d) => {
    d.line('[default]');
    d.line(`aws_access_key_id = ${sec(d, f.awsKeyId(r), { provider: 'aws', kind: 'aws-access-key-id' })}`);
    d.line(
      `aws_secret_access_key = ${sec(d, f.awsSecretKey(r), { provider: 'aws', kind: 'aws-secret-access-key' })}`,
    );
    d.line('region = eu-west-1', '', '[ci-temporary]');
    d.line(
      `aws_access_key_id = ${sec(d, f.awsKeyId(r, 'ASIA'), { provider: 'aws', kind: 'aws-access-key-id' })}`,
    );
    d.line(
      `aws_secret_access_key = ${sec(d, f.awsSecretKey(r), { provider: 'aws', kind: 'aws-secret-access-key' })}`,
    );
    const session = `FwoGZXIvYXdzE${r.chars(BASE64, 300)}`;
    d.line(`aws_session_token = ${sec(d, session, { provider: 'aws', kind: 'aws-session-token' })}`);
    d.line('', '[example]', `aws_access_key_id = ${d.d('aws-example', 'AKIAIOSFODNN7EXAMPLE')}`);
    d.line(`aws_secret_access_key = ${d.d('aws-example', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')}`);
  });
  w.file('config/integrations.json', (d) => {
    d.line('{');
    d.line(
      `  "maps": { "apiKey": "${sec(d, f.googleApiKey(r), { provider: 'google', kind: 'google-api-key' })}", "region": "EU" },`,
    );
    d.line(`  "analytics": { "writeKey": "${d.d('placeholder', 'YOUR_WRITE_KEY')}" },`);
    d.line(
      `  "slack": { "webhook": "${d.s({ ...webhook(r), provider: 'slack', kind: 'slack-webhook', match: 'location' })}" },`,
    );
    d.line(`  "npm": { "token": "${sec(d, f.npmToken(r), { provider: 'npm', kind: 'npm-token' })}" },`);
    d.line(`  "schemaHash": "sha256:${d.d('hash', r.chars(HEX, 64))}",`);
    d.line(`  "tenantId": "${d.d('uuid', f.uuid(r))}"`);
    d.line('}');
  });
  w.file('config/keyward.yaml', (d) => {
    d.line('# Keyward CLI profile', 'server: https://keyward.internal.example.com');
    d.line(`token: ${sec(d, f.keywardToken(r), { provider: 'keyward', kind: 'keyward-api-token' })}`);
    d.line(`agent_token_env: ${d.d('keyword-non-secret', 'KEYWARD_AGENT_TOKEN')}`);
  });
  writeNotebook(w, r);
  writeFixtures(w, r);
}

function webhook(r: Rng): { secret: string; alt: string[] } {
  const url = f.slackWebhook(r);
  return { secret: url, alt: [url.slice(url.lastIndexOf('/') + 1), url.slice('https://'.length)] };
}

function writeNotebook(w: CorpusWriter, r: Rng): void {
  // A notebook is JSON whose code is a list of strings: the secret sits in one of those strings.
  const png = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), r.bytes(900)]).toString(
    'base64',
  );
  w.file('notebooks/embeddings-eval.ipynb', (d) => {
    d.line(
      '{',
      ' "cells": [',
      '  {',
      '   "cell_type": "code",',
      '   "execution_count": 1,',
      '   "metadata": {},',
    );
    d.line('   "outputs": [],', '   "source": [');
    d.line('    "import openai\\n",');
    d.line(
      `    "openai.api_key = \\"${sec(d, f.openaiKey(r), { provider: 'openai', kind: 'openai-project-key' })}\\"\\n",`,
    );
    d.line(
      `    "HF_TOKEN = \\"${sec(d, f.huggingFaceToken(r), { provider: 'huggingface', kind: 'huggingface-token' })}\\"\\n",`,
    );
    d.line(
      '    "emb = openai.embeddings.create(model=\\"text-embedding-3-small\\", input=docs)"',
      '   ]',
      '  },',
    );
    d.line(
      '  {',
      '   "cell_type": "code",',
      '   "execution_count": 2,',
      '   "metadata": {},',
      '   "outputs": [',
      '    {',
    );
    d.line(
      '     "data": {',
      `      "image/png": "${d.d('base64-image', png)}",`,
      '      "text/plain": ["<Figure size 640x480>"]',
    );
    d.line(
      '     },',
      '     "output_type": "display_data"',
      '    }',
      '   ],',
      '   "source": ["plot(emb)"]',
      '  }',
      ' ],',
    );
    d.line(
      ' "metadata": { "kernelspec": { "name": "python3", "display_name": "Python 3" } },',
      ' "nbformat": 4,',
      ' "nbformat_minor": 5',
      '}',
    );
  });
}

function writeFixtures(w: CorpusWriter, r: Rng): void {
  // A recorded HTTP cassette: the real bearer token of the developer who recorded it.
  w.file('services/api/test/fixtures/cassettes/create-charge.yaml', (d) => {
    d.line(
      'interactions:',
      '- request:',
      '    method: POST',
      '    uri: https://api.stripe.com/v1/charges',
      '    headers:',
    );
    d.line(
      `      Authorization: Bearer ${sec(d, f.stripeLive(r, 'rk'), { provider: 'stripe', kind: 'stripe-restricted-key' })}`,
    );
    d.line(`      Idempotency-Key: ${d.d('uuid', f.uuid(r))}`);
    d.line(
      '  response:',
      '    status: 200',
      `    body: '{"id": "ch_${d.d('random-id', r.chars(ALNUM, 24))}"}'`,
    );
  });
  // Clearly fake tokens of unit tests: a GitHub token whose checksum does not verify (GitHub never
  // issued it) and repeated-character shapes. Decoys: a scanner that checks the checksum drops them.
  w.file('services/api/test/fixtures/tokens.json', (d) => {
    d.line('{');
    d.line(`  "badChecksum": "${d.d('bad-checksum', f.githubTokenBadChecksum(r))}",`);
    d.line(`  "placeholder": "${d.d('placeholder', 'ghp_000000000000000000000000000000000000')}",`);
    d.line(`  "stripe": "${d.d('placeholder', 'sk_live_XXXXXXXXXXXXXXXXXXXXXXXXXXXX')}",`);
    d.line(
      `  "jwtExample": "${d.d('jwt-example', 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c')}",`,
    );
    d.line(`  "awsExample": "${d.d('aws-example', 'AKIAIOSFODNN7EXAMPLE')}",`);
    d.line(`  "requestId": "${d.d('uuid', f.uuid(r))}"`);
    d.line('}');
  });
  w.file('services/api/test/auth.test.ts', (d) => {
    d.line("import { describe, expect, it } from 'vitest';", '');
    d.line("describe('auth', () => {", "  it('rejects a malformed token', () => {");
    d.line(`    expect(parse('${d.d('placeholder', 'kw_notarealtoken')}')).toBeNull();`);
    d.line(`    expect(parse(${d.d('env-ref', 'process.env.TEST_TOKEN')})).toBeDefined();`, '  });', '});');
  });
}
