// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${X}` references are what the corpus writes, not mistakes.
/**
 * The corpus's infrastructure side: Dockerfiles and compose files, CI workflows (GitHub Actions,
 * GitLab, CircleCI), .npmrc, Terraform, Kubernetes manifests and a kubeconfig, Ansible vars, shell
 * scripts, key files and GCP service-account JSON. Secrets here leak as build args, inline `curl`
 * headers, clone URLs, YAML block scalars and whole key files; the look-alikes are `${{ secrets.X }}`,
 * `var.x`, image digests, action pins, public keys and certificates.
 */

import { dbUrl, pemSpec } from './corpus-app-files.js';
import type { CorpusWriter, Doc } from './corpus-doc.js';
import { BASE64, DIGITS, HEX, LOWER, type Rng } from './corpus-random.js';
import { ecKey, ecPem, opensshEd25519, pkcs8Pem, publicPem, rsaKey, rsaPem } from './pem-keys.js';
import * as f from './secret-formats.js';

const sec = (d: Doc, secret: string, provider: string, kind: string) => d.s({ provider, kind, secret });

function gcpServiceAccount(d: Doc, r: Rng, project: string, name: string): string {
  const key = pkcs8Pem(rsaKey(r, `gcp:${project}:${name}`));
  const keyId = r.chars(HEX, 40);
  const json = JSON.stringify(
    {
      type: 'service_account',
      project_id: project,
      private_key_id: keyId,
      private_key: key,
      client_email: `${name}@${project}.iam.gserviceaccount.com`,
      client_id: r.chars(DIGITS, 21),
      auth_uri: 'https://accounts.google.com/o/oauth2/auth',
      token_uri: 'https://oauth2.googleapis.com/token',
      auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
      client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${name}%40${project}.iam.gserviceaccount.com`,
      universe_domain: 'googleapis.com',
    },
    null,
    2,
  );
  return d.s({
    provider: 'gcp',
    kind: 'gcp-service-account',
    secret: key,
    text: json,
    match: 'location',
    alt: [key.trim(), JSON.stringify(key).slice(1, -1), json],
  });
}

/** A certificate-shaped PEM block (public material: a decoy). */
function certificate(r: Rng): string {
  const body = Buffer.concat([Buffer.from('308203', 'hex'), r.bytes(780)]).toString('base64');
  return `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----`;
}

export function writeInfraFiles(w: CorpusWriter, r: Rng): void {
  const npm = f.npmToken(r);
  w.file('Dockerfile', (d) => {
    d.line('FROM node:20-alpine@sha256:' + d.d('hash', r.chars(HEX, 64)) + ' AS build');
    d.line(`ARG NPM_TOKEN=${sec(d, npm, 'npm', 'npm-token')}`);
    d.line(`ARG GITHUB_TOKEN`, 'WORKDIR /app', 'COPY package*.json ./');
    d.line('RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci && rm .npmrc');
    d.line('COPY . .', 'RUN npm run build', '', 'FROM node:20-alpine', 'COPY --from=build /app/dist /app');
    d.line(
      `ENV SENTRY_DSN=https://${d.d('sentry-dsn', r.chars(HEX, 32))}@o${r.chars(DIGITS, 6)}.ingest.sentry.io/${r.chars(DIGITS, 7)}`,
    );
    d.line('CMD ["node", "/app/server.js"]');
  });
  w.file('docker-compose.yml', (d) => {
    d.line('services:', '  db:', '    image: postgres:16', '    environment:');
    d.line(`      POSTGRES_PASSWORD: ${sec(d, f.password(r), 'generic', 'generic-password')}`);
    d.line('      POSTGRES_USER: app', '  api:', '    build:', '      context: .', '      args:');
    d.line(`        NPM_TOKEN: ${d.d('env-ref', '${NPM_TOKEN}')}`);
    d.line('    environment:');
    d.line(`      REDIS_URL: ${dbUrl(d, r, 'redis')}`);
    d.line(`      STRIPE_SECRET_KEY: ${d.d('env-ref', '${STRIPE_SECRET_KEY:?set it}')}`);
  });
  w.file('.npmrc', (d) => {
    d.line('registry=https://registry.npmjs.org/');
    d.line(`//registry.npmjs.org/:_authToken=${sec(d, npm, 'npm', 'npm-token')}`);
    d.line(`//npm.pkg.github.com/:_authToken=${d.d('env-ref', '${GITHUB_PACKAGES_TOKEN}')}`);
  });
  w.file('.github/workflows/ci.yml', (d) => {
    d.line(
      'name: ci',
      'on: [push, pull_request]',
      'jobs:',
      '  test:',
      '    runs-on: ubuntu-latest',
      '    steps:',
    );
    d.line(`      - uses: actions/checkout@${d.d('git-sha', r.chars(HEX, 40))} # v4`);
    d.line(`      - uses: actions/setup-node@${d.d('git-sha', r.chars(HEX, 40))} # v4`);
    d.line('      - run: npm ci && npm test', '        env:');
    d.line(`          NPM_TOKEN: ${d.d('env-ref', '${{ secrets.NPM_TOKEN }}')}`);
    d.line('      - name: notify', '        if: failure()', '        run: |');
    d.line(
      `          curl -X POST -H 'Content-type: application/json' --data '{"text":"ci failed"}' ${d.s({ ...hook(r), provider: 'slack', kind: 'slack-webhook', match: 'location' })}`,
    );
  });
  w.file('.github/workflows/deploy.yml', (d) => {
    d.line('name: deploy', 'on:', '  push:', '    branches: [main]', 'env:');
    d.line(`  AWS_ACCESS_KEY_ID: ${sec(d, f.awsKeyId(r), 'aws', 'aws-access-key-id')}`);
    d.line(`  AWS_SECRET_ACCESS_KEY: ${sec(d, f.awsSecretKey(r), 'aws', 'aws-secret-access-key')}`);
    d.line(`  AWS_REGION: eu-west-1`, 'jobs:', '  deploy:', '    runs-on: ubuntu-latest', '    steps:');
    d.line('      - uses: actions/checkout@v4');
    d.line(
      `      - run: docker build --build-arg NPM_TOKEN=${sec(d, f.npmToken(r), 'npm', 'npm-token')} -t api .`,
    );
    d.line(`      - run: ./scripts/deploy.sh`, '        env:');
    d.line(`          GITHUB_TOKEN: ${d.d('env-ref', '${{ secrets.GITHUB_TOKEN }}')}`);
    d.line(`          KEYWARD_TOKEN: ${sec(d, f.keywardToken(r), 'keyward', 'keyward-api-token')}`);
  });
  w.file('.gitlab-ci.yml', (d) => {
    d.line('stages: [build, deploy]', 'build:', '  stage: build', '  script:');
    d.line(
      `    - git clone https://oauth2:${sec(d, f.gitlabToken(r), 'gitlab', 'gitlab-pat')}@gitlab.com/acme/shared-config.git`,
    );
    d.line(`    - docker login -u ci -p ${d.d('env-ref', '$CI_REGISTRY_PASSWORD')} $CI_REGISTRY`);
    d.line('deploy:', '  stage: deploy', '  variables:');
    d.line(`    DATABASE_URL: "${dbUrl(d, r, 'postgres')}"`);
    d.line(`  script: [./scripts/deploy.sh]`);
  });
  w.file('.circleci/config.yml', (d) => {
    d.line(
      'version: 2.1',
      'jobs:',
      '  build:',
      '    docker:',
      '      - image: cimg/node:20.11',
      '        auth:',
    );
    d.line('          username: acmeci');
    d.line(`          password: ${sec(d, f.password(r), 'generic', 'generic-password')}`);
    d.line('    steps: [checkout, { run: npm ci }]');
  });
  w.file('infra/terraform/providers.tf', (d) => {
    d.line('provider "aws" {', '  region     = "eu-west-1"');
    d.line(`  access_key = "${sec(d, f.awsKeyId(r), 'aws', 'aws-access-key-id')}"`);
    d.line(`  secret_key = "${sec(d, f.awsSecretKey(r), 'aws', 'aws-secret-access-key')}"`);
    d.line('}', '', 'provider "github" {');
    d.line(`  token = "${sec(d, f.githubFineGrained(r), 'github', 'github-fine-grained')}"`);
    d.line('  owner = "acme"', '}', '', 'provider "azurerm" {', '  features {}');
    d.line(`  client_secret = ${d.d('env-ref', 'var.azure_client_secret')}`, '}');
  });
  w.file('infra/terraform/terraform.tfvars', (d) => {
    d.line('environment = "prod"');
    d.line(`db_password = "${sec(d, f.password(r), 'generic', 'generic-password')}"`);
    d.line(`datadog_api_key = "${sec(d, r.chars(HEX, 32), 'generic', 'generic-api-key')}"`);
    d.line(`ami_id = "ami-${d.d('random-id', r.chars(HEX, 17))}"`);
  });
  w.file('infra/terraform/rds.tf', (d) => {
    d.line(
      'resource "aws_db_instance" "main" {',
      '  engine         = "postgres"',
      '  instance_class = "db.t4g.medium"',
    );
    d.line(`  password       = ${d.d('env-ref', 'var.db_password')}`, '  username       = "app"', '}');
  });
  w.file('infra/k8s/api-secret.yaml', (d) => {
    const tlsKey = rsaPem(rsaKey(r, 'k8s-tls'));
    d.line(
      'apiVersion: v1',
      'kind: Secret',
      'metadata:',
      '  name: api-credentials',
      '  namespace: payments',
      'type: Opaque',
      'stringData:',
    );
    d.line(`  STRIPE_SECRET_KEY: ${sec(d, f.stripeLive(r), 'stripe', 'stripe-secret-key')}`);
    d.line(`  SLACK_TOKEN: ${sec(d, f.slackUser(r), 'slack', 'slack-user-token')}`);
    d.line(`  DATABASE_URL: ${dbUrl(d, r, 'postgres')}`);
    d.line('  tls.key: |');
    d.line(`    ${d.s(pemSpec(tlsKey, 'rsa-private-key', '    '))}`);
  });
  w.file('infra/k8s/deployment.yaml', (d) => {
    d.line(
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: api',
      '  namespace: payments',
      'spec:',
      '  template:',
    );
    d.line('    spec:', '      containers:', '        - name: api');
    d.line(`          image: registry.acme.dev/api@sha256:${d.d('hash', r.chars(HEX, 64))}`);
    d.line(
      '          env:',
      '            - name: STRIPE_SECRET_KEY',
      '              valueFrom:',
      '                secretKeyRef: { name: api-credentials, key: STRIPE_SECRET_KEY }',
    );
    d.line(
      '            - name: SENTRY_RELEASE',
      `              value: "${d.d('git-sha', r.chars(HEX, 40))}"`,
    );
  });
  w.file('infra/k8s/kubeconfig-ci.yaml', (d) => {
    d.line('apiVersion: v1', 'kind: Config', 'clusters:', '  - name: prod', '    cluster:');
    d.line('      server: https://10.0.0.1:6443');
    d.line(
      `      certificate-authority-data: ${d.d('certificate', Buffer.from(certificate(r)).toString('base64'))}`,
    );
    d.line('users:', '  - name: ci-deployer', '    user:');
    d.line(
      `      token: ${sec(d, f.k8sServiceAccountJwt(r, 'ci', 'deployer'), 'kubernetes', 'k8s-service-account-jwt')}`,
    );
    d.line('contexts: [{ name: prod, context: { cluster: prod, user: ci-deployer } }]');
  });
  w.file('infra/k8s/values-prod.yaml', (d) => {
    d.line('image:', '  tag: 2.14.0', 'postgresql:', '  auth:');
    d.line(`    password: ${d.d('env-ref', '{{ .Values.global.dbPassword }}')}`);
    d.line(`    existingSecret: ${d.d('keyword-non-secret', 'postgres-credentials')}`);
    d.line('redis:', `  password: ${sec(d, f.password(r), 'generic', 'generic-password')}`);
  });
  w.file('infra/ansible/group_vars/all.yml', (d) => {
    d.line('---', 'ansible_user: deploy');
    d.line(`ansible_become_pass: ${sec(d, f.password(r), 'generic', 'generic-password')}`);
    d.line(`mysql_root_password: "${sec(d, f.password(r), 'generic', 'generic-password')}"`);
    d.line(`vault_password_file: ${d.d('keyword-non-secret', '~/.vault_pass.txt')}`);
  });
  w.file('scripts/deploy.sh', (d) => {
    d.line('#!/usr/bin/env bash', 'set -euo pipefail', '');
    d.line(`export HF_TOKEN=${sec(d, f.huggingFaceToken(r), 'huggingface', 'huggingface-token')}`);
    d.line(
      `curl -sf -H "Authorization: Bearer ${sec(d, f.slackBot(r), 'slack', 'slack-bot-token')}" https://slack.com/api/auth.test`,
    );
    d.line(
      `mysql -h legacy-db.internal -u admin -p'${sec(d, f.password(r), 'generic', 'generic-password')}' orders < migrate.sql`,
    );
    d.line(
      `git push https://x-access-token:${sec(d, f.githubToken(r, 'ghp'), 'github', 'github-classic')}@github.com/acme/infra.git HEAD:main`,
    );
    d.line(`curl -H "Authorization: token ${d.d('env-ref', '$GITHUB_TOKEN')}" https://api.github.com/user`);
    d.line(`echo "deploying ${d.d('git-sha', r.chars(HEX, 40))}"`);
  });
  w.file('scripts/rotate-keys.sh', (d) => {
    d.line('#!/usr/bin/env bash', '# usage: rotate-keys.sh <token>');
    d.line(`TOKEN="\${1:-${d.d('placeholder', 'xxxxxxxx')}}"`);
    d.line(`curl -H "Authorization: Bearer ${d.d('placeholder', '<token>')}" https://api.example.com/rotate`);
    d.line(`aws configure set aws_access_key_id ${d.d('aws-example', 'AKIAIOSFODNN7EXAMPLE')}`);
  });
  w.file('deploy/gcp/service-account.json', (d) =>
    d.line(gcpServiceAccount(d, r, 'acme-prod-4821', 'deployer')),
  );
  w.file('deploy/gcp/bigquery-reader.json', (d) =>
    d.line(gcpServiceAccount(d, r, 'acme-analytics', 'bq-reader')),
  );
  w.file('services/worker/credentials/gcs-writer.json', (d) =>
    d.line(gcpServiceAccount(d, r, 'acme-data-lake', 'gcs-writer')),
  );
  w.file('keys/deploy_rsa.pem', (d) =>
    d.line(d.s(pemSpec(rsaPem(rsaKey(r, 'deploy-rsa')), 'rsa-private-key'))),
  );
  w.file('keys/signing-ec.pem', (d) => d.line(d.s(pemSpec(ecPem(ecKey(r, 'signing-ec')), 'ec-private-key'))));
  const ssh = opensshEd25519(r, 'ci@acme');
  w.file('.ssh/id_ed25519', (d) => d.line(d.s(pemSpec(ssh.pem, 'openssh-private-key'))));
  w.file('.ssh/id_ed25519.pub', (d) => d.line(d.d('public-key', ssh.publicLine)));
  w.file('.ssh/authorized_keys', (d) => d.line(d.d('public-key', opensshEd25519(r, 'ops@acme').publicLine)));
  w.file('keys/signing-ec.pub.pem', (d) =>
    d.line(d.d('public-key', publicPem(ecKey(r, 'signing-ec')).trim())),
  );
  w.file('keys/jwks-public.pem', (d) => d.line(d.d('public-key', publicPem(rsaKey(r, 'deploy-rsa')).trim())));
  w.file('certs/ca.crt', (d) => d.line(d.d('certificate', certificate(r))));
  w.file('var/run/secrets/kubernetes.io/serviceaccount/token', (d) =>
    d.line(
      sec(
        d,
        f.k8sServiceAccountJwt(r, 'payments', `api-${r.chars(LOWER, 4)}`),
        'kubernetes',
        'k8s-service-account-jwt',
      ),
    ),
  );
  w.file('infra/k8s/sealed-secret.yaml', (d) => {
    d.line(
      'apiVersion: bitnami.com/v1alpha1',
      'kind: SealedSecret',
      'metadata: { name: api, namespace: payments }',
    );
    d.line(`spec:`, `  encryptedData:`, `    password: ${d.d('encrypted', 'AgB' + r.chars(BASE64, 300))}`);
  });
}

function hook(r: Rng): { secret: string; alt: string[] } {
  const url = f.slackWebhook(r);
  return { secret: url, alt: [url.slice(url.lastIndexOf('/') + 1), url.slice('https://'.length)] };
}
