import { describe, expect, it } from 'vitest';
import { BUILTIN_RULES } from '../../src/discovery/scan/builtin-rules.js';
import { createContentScanner } from '../../src/discovery/scan/content-scanner.js';
import { redact } from '../../src/discovery/scan/redaction.js';
import { fakeCases, githubToken, jwt, rand, serviceAccountJson, sha256 } from './secret-fakes.js';

const scanner = createContentScanner(BUILTIN_RULES);
const scan = (text: string, path = 'config/app.env') => scanner.scanText(text, path);

describe('built-in rules', () => {
  for (const c of fakeCases()) {
    it(`${c.rule}: finds a generated secret and not its decoy (${c.secret.slice(0, 8)}…)`, () => {
      const found = scan(c.text);
      expect(found.map((f) => f.ruleId)).toEqual([c.rule]);
      expect(found[0]!.fingerprint).toBe(sha256(c.secret));
      expect(found[0]!.redacted.length).toBeLessThanOrEqual(9);
      // An access key id is an identifier, not a secret: it is the one allowed in the output.
      if (c.rule !== 'aws-access-key-id') expect(JSON.stringify(found)).not.toContain(c.secret);
      expect(scan(c.decoy)).toEqual([]);
    });
  }

  it('validates the GitHub checksum: one changed character is not a token', () => {
    const token = githubToken('gho');
    const flipped = token.slice(0, 10) + (token[10] === 'a' ? 'b' : 'a') + token.slice(11);
    expect(scan(`t: ${token}`)).toHaveLength(1);
    expect(scan(`t: ${flipped}`)).toEqual([]);
    expect(scan(`t: ${token}`)[0]!.identifiers).toEqual({ lastEight: token.slice(-8) });
  });

  it('pairs an AWS secret key with the access key id within five lines', () => {
    const id = `AKIA${rand(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`;
    const secret = rand(40, `${'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'}+/`);
    const csv = `User name,Password,Access key ID,Secret access key\nci,,${id},${secret}\n`;
    const found = scan(csv, 'credentials.csv');
    expect(found.map((f) => f.ruleId).sort()).toEqual(['aws-access-key-id', 'aws-secret-access-key']);
    expect(found.find((f) => f.ruleId === 'aws-secret-access-key')!.identifiers).toEqual({
      awsAccessKeyId: id,
    });
    // Far from any key id and not named: a random 40-character string is not an AWS key.
    expect(scan(`${'\n'.repeat(10)}value ${secret}\n`)).toEqual([]);
  });

  it('reads Kubernetes service-account tokens, legacy and bound', () => {
    const legacy = jwt({
      iss: 'kubernetes/serviceaccount',
      'kubernetes.io/serviceaccount/namespace': 'prod',
      'kubernetes.io/serviceaccount/service-account.name': 'deployer',
      sub: 'system:serviceaccount:prod:deployer',
    });
    const bound = jwt({
      iss: 'https://kubernetes.default.svc.cluster.local',
      sub: 'system:serviceaccount:ci:runner',
      'kubernetes.io': { namespace: 'ci', serviceaccount: { name: 'runner', uid: rand(12) } },
    });
    const [a] = scan(`token: ${legacy}\n`);
    const [b] = scan(`token: ${bound}\n`);
    expect(a).toMatchObject({ ruleId: 'kubernetes-service-account-token', severity: 'high' });
    expect(a!.identifiers).toEqual({
      jwtIssuer: 'kubernetes/serviceaccount',
      jwtSubject: 'system:serviceaccount:prod:deployer',
      k8sServiceAccount: 'prod/deployer',
    });
    expect(b!.identifiers['k8sServiceAccount']).toBe('ci/runner');
    const plain = scan(`Authorization: Bearer ${jwt({ iss: 'https://issuer.test', sub: 'svc-1' })}\n`);
    expect(plain).toMatchObject([
      { ruleId: 'jwt', severity: 'medium', identifiers: { jwtIssuer: 'https://issuer.test' } },
    ]);
    // A JWT-shaped string whose parts are not JSON is not a JWT.
    expect(scan(`x = eyJ${rand(30)}.eyJ${rand(30)}.${rand(40)}\n`)).toEqual([]);
  });

  it('reports a GCP service-account key once, with its key id and email, fingerprinted decoded', () => {
    const sa = serviceAccountJson();
    const found = scan(sa.text, 'keys/sa.json');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      ruleId: 'gcp-service-account-key',
      identifiers: { gcpPrivateKeyId: sa.keyId, gcpClientEmail: sa.email },
      fingerprint: sha256(sa.pem),
    });
    // The same key as a PEM file has the same fingerprint.
    expect(scan(`${sa.pem}\n`, 'keys/sa.pem')[0]).toMatchObject({
      ruleId: 'private-key',
      fingerprint: sha256(sa.pem),
    });
  });

  it('finds PEM private keys but not public keys, certificates or truncated examples', () => {
    expect(scan(`${rand(5)}\n${fakePem()}\n`)).toHaveLength(1);
    expect(
      scan(
        '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----\n',
      ),
    ).toEqual([]);
    expect(
      scan('-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA...\n...\n-----END RSA PRIVATE KEY-----\n'),
    ).toEqual([]);
  });

  it('sees a Keyward token, fingerprinted as the server hashes it', () => {
    const token = `kw_${Buffer.from(rand(32)).toString('base64url').slice(0, 43)}`;
    expect(scan(`KEYWARD_TOKEN=${token}`)[0]).toMatchObject({
      ruleId: 'keyward-api-token',
      fingerprint: sha256(token),
      identifiers: { keywardTokenPrefix: 'kw_' },
    });
  });

  it('labels Gemini keys by their context, and Stripe test keys as low', () => {
    expect(scan(`GEMINI_API_KEY=AIza${rand(35)}`)[0]).toMatchObject({
      ruleId: 'google-ai-api-key',
      provider: 'google-ai',
    });
    expect(scan(`STRIPE_KEY=sk_test_${rand(24)}`)[0]).toMatchObject({ severity: 'low' });
  });

  it('keeps the generic rule away from decoys', () => {
    const decoys = [
      'api_key = "d41d8cd98f00b204e9800998ecf8427e"', // md5
      'token: 123e4567-e89b-12d3-a456-426614174000', // uuid
      '"integrity": "sha512-abcdEFGHijklMNOPqrstUVWXyz0123456789abcdEFGHijklMNOPqrstUVWXyz0123456789ab=="',
      'secret = os.environ["APP_SECRET_VALUE_1"]',
      'password: $' + '{DB_PASSWORD}',
      'auth_url = https://login.example.com/oauth2/v2.0/token',
      'client_secret = "aaaaaaaaaaaaaaaaaaaaaaaa"',
      'token = "0123456789abcdefghijklmn"',
      'private_key: "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7"',
      'SECRET_KEY = get_secret_key_from_vault()',
      'api_key = "your_api_key_here_1234567"',
      'password = "<your-password-goes-here>"',
    ];
    for (const d of decoys) expect(scan(`${d}\n`), d).toEqual([]);
    const fake = `password = "test-password-${rand(4)}-mock"`;
    expect(scan(fake, 'src/__tests__/login.test.ts')).toEqual([]);
    // A precise rule still reports in test code.
    expect(scan(`t = "${githubToken()}"`, 'test/fixtures/a.ts')).toHaveLength(1);
  });

  it('finds generic secrets in code literals, fallbacks, hex-encoded secrets and CLI flags', () => {
    const pw = rand(20);
    const cases: Array<[string, string]> = [
      [`const password = "${pw}";`, 'src/db.ts'],
      [`  jwtSecret: process.env.JWT_SECRET || "${pw}",`, 'src/config.ts'],
      [`const key = process.env.API_TOKEN ?? '${pw}';`, 'src/client.js'],
      [`twilioAPISecret = "${pw}"`, 'services/sms.go'],
      [`SESSION_SECRET=${rand(64, '0123456789abcdef')}`, '.env'],
      [`ansible_become_pass: ${pw}`, 'group_vars/all.yml'],
      [`mysql -u app -p'${pw}' -h db.internal billing`, 'scripts/deploy.sh'],
      // Random values may start with `%` or `$` without being a %VAR% or $VAR reference.
      [`  password: "%${pw}!"`, 'config/app.yaml'],
      [`  password: "$${pw}#"`, 'config/app.yaml'],
    ];
    for (const [line, path] of cases) expect(scan(`${line}\n`, path), line).toHaveLength(1);
    // Not secrets: an unquoted expression in code, a hash under a hash's name, -p with a space (prompt).
    for (const [line, path] of [
      [`const password = computePassword${pw};`, 'src/db.ts'],
      [`secret_sha256 = ${rand(64, '0123456789abcdef')}`, 'checksums.txt'],
      ['mysql -u app -p -h db.internal billing', 'scripts/deploy.sh'],
      ['password: "%DB_PASSWORD_FROM_ENV%"', 'config/app.yaml'],
    ] as const)
      expect(scan(`${line}\n`, path), line).toEqual([]);
  });

  it('redacts at most four characters each side, fewer for short secrets', () => {
    expect(redact('abcdefghijklmnopqrstuvwxyz0123456789')).toBe('abcd…6789');
    expect(redact('abcdefghijkl')).toBe('ab…kl');
    expect(redact('abc')).toBe('…');
    const long = rand(300);
    expect(redact(long).length).toBeLessThanOrEqual(24);
  });

  it('honours inline ignores on the line and the line before', () => {
    const t = githubToken();
    expect(scan(`a = "${t}" # keyward:allow\n`)).toEqual([]);
    expect(scan(`a = "${t}" // gitleaks:allow\n`)).toEqual([]);
    expect(scan(`a = "${t}" // secretlint-disable-line\n`)).toEqual([]);
    expect(scan(`# keyward:allow-next-line\na = "${t}"\n`)).toEqual([]);
    expect(scan(`# keyward:allow-next-line\n\na = "${t}"\n`)).toHaveLength(1);
  });

  it('gives line and column of the secret', () => {
    const t = githubToken();
    expect(scan(`one\ntwo\n  x = ${t}\n`)[0]).toMatchObject({ line: 3, column: 7 });
  });

  it('drops allowlisted fingerprints and rules', () => {
    const t = githubToken();
    const s = createContentScanner(BUILTIN_RULES, { fingerprints: [sha256(t)] });
    expect(s.scanText(`x=${t}`, 'a')).toEqual([]);
    expect(createContentScanner(BUILTIN_RULES, { rules: ['github-token'] }).scanText(`x=${t}`, 'a')).toEqual(
      [],
    );
  });
});

function fakePem(): string {
  return serviceAccountJson().pem.replace(/PRIVATE KEY/g, 'RSA PRIVATE KEY');
}
