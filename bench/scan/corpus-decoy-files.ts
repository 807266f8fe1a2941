// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${X}` references are what the corpus writes, not mistakes.
/**
 * The corpus's look-alike-heavy files: docs (documented example keys, placeholders, the jwt.io
 * sample), lockfiles (integrity hashes, resolved URLs, go.sum hashes), changelogs (commit shas),
 * minified bundles and stylesheets (identifiers, data URIs, source maps), migrations (password
 * hashes), and build output and logs that .gitignore excludes. A few true secrets hide among them,
 * as they do in practice (a token pasted into a troubleshooting page, a Maps key in a bundle).
 */
import type { CorpusWriter } from './corpus-doc.js';
import { ALNUM, BASE64, BASE64URL, HEX, LOWER, type Rng } from './corpus-random.js';
import * as f from './secret-formats.js';

const PACKAGES = `react react-dom express zod lodash axios dayjs uuid commander yaml pino undici
  ws semver chalk debug ms qs cookie jose vitest typescript esbuild rollup postcss`.split(/\s+/);

export function writeDecoyFiles(w: CorpusWriter, r: Rng): void {
  w.file('README.md', (d) => {
    d.line('# acme-platform', '', 'Monorepo of the Acme payments platform.', '', '## Setup', '', '```sh');
    d.line(`export AWS_ACCESS_KEY_ID=${d.d('aws-example', 'AKIAIOSFODNN7EXAMPLE')}`);
    d.line(`export AWS_SECRET_ACCESS_KEY=${d.d('aws-example', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')}`);
    d.line(`export OPENAI_API_KEY=${d.d('placeholder', 'your-api-key-here')}`);
    d.line(`export KEYWARD_TOKEN=${d.d('placeholder', 'kw_…')}`);
    d.line('```', '', 'Tokens look like `ghp_` followed by 36 characters; never commit them.');
    d.line(
      '',
      `CI status: ![build](${d.d('data-uri', `data:image/svg+xml;base64,${r.bytes(300).toString('base64')}`)})`,
    );
  });
  w.file('docs/authentication.md', (d) => {
    d.line('# Authentication', '', 'Send the token as a bearer header:', '', '```http');
    d.line(`Authorization: Bearer ${d.d('placeholder', '<token>')}`, '```', '');
    d.line('A decoded JWT looks like this (from jwt.io):', '');
    d.line(
      d.d(
        'jwt-example',
        'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
      ),
    );
    d.line('', 'Configure the key in `config/app.toml`:', '', '```toml');
    d.line(`client_secret = "${d.d('placeholder', '${CLIENT_SECRET}')}"`, '```');
  });
  w.file('docs/troubleshooting.md', (d) => {
    d.line('# Troubleshooting', '', '## 401 from the GitHub API', '');
    d.line('Check the token works (this is what I ran, @bob):', '', '```');
    d.line(
      `$ curl -H "Authorization: token ${d.s({ provider: 'github', kind: 'github-classic', secret: f.githubToken(r, 'ghp') })}" https://api.github.com/user`,
    );
    d.line('```', '', `Request id: ${d.d('uuid', f.uuid(r))}`);
    d.line(`Download the report at https://files.acme.dev/r/${d.d('url-id', r.chars(HEX, 32))}/report.pdf`);
  });
  w.file('CHANGELOG.md', (d) => {
    d.line('# Changelog', '');
    for (let i = 0; i < 12; i++) {
      d.line(`- fix ${r.pick(PACKAGES)} handling (${d.d('git-sha', r.chars(HEX, 40))})`);
    }
  });
  w.file('package.json', (d) => {
    d.line('{', '  "name": "acme-platform",', '  "private": true,', '  "dependencies": {');
    d.line(
      PACKAGES.slice(0, 10)
        .map((p) => `    "${p}": "^${r.between(1, 9)}.${r.between(0, 20)}.${r.between(0, 9)}"`)
        .join(',\n'),
    );
    d.line('  }', '}');
  });
  w.file('package-lock.json', (d) => {
    d.line('{', '  "name": "acme-platform",', '  "lockfileVersion": 3,', '  "packages": {');
    PACKAGES.forEach((p, i) => {
      const v = `${r.between(1, 9)}.${r.between(0, 20)}.${r.between(0, 9)}`;
      d.line(`    "node_modules/${p}": {`, `      "version": "${v}",`);
      d.line(`      "resolved": "https://registry.npmjs.org/${p}/-/${p}-${v}.tgz",`);
      d.line(`      "integrity": "${d.d('integrity', `sha512-${r.bytes(64).toString('base64')}`)}"`);
      d.line(i === PACKAGES.length - 1 ? '    }' : '    },');
    });
    d.line('  }', '}');
  });
  w.file('yarn.lock', (d) => {
    for (const p of PACKAGES.slice(0, 12)) {
      const v = `${r.between(1, 9)}.${r.between(0, 20)}.${r.between(0, 9)}`;
      d.line(
        `${p}@^${v}:`,
        `  version "${v}"`,
        `  resolved "https://registry.yarnpkg.com/${p}/-/${p}-${v}.tgz#${d.d('hash', r.chars(HEX, 40))}"`,
      );
      d.line(`  integrity ${d.d('integrity', `sha512-${r.bytes(64).toString('base64')}`)}`, '');
    }
  });
  w.file('services/billing/go.sum', (d) => {
    for (const m of [
      'github.com/twilio/twilio-go',
      'github.com/stripe/stripe-go/v76',
      'golang.org/x/sync',
      'github.com/google/uuid',
    ]) {
      const v = `v1.${r.between(0, 30)}.${r.between(0, 9)}`;
      d.line(`${m} ${v} h1:${d.d('hash', r.bytes(32).toString('base64'))}`);
      d.line(`${m} ${v}/go.mod h1:${d.d('hash', r.bytes(32).toString('base64'))}`);
    }
  });
  w.file('services/worker/poetry.lock', (d) => {
    for (const p of ['boto3', 'anthropic', 'psycopg', 'numpy']) {
      d.line(
        '[[package]]',
        `name = "${p}"`,
        `version = "${r.between(1, 3)}.${r.between(0, 40)}.${r.between(0, 9)}"`,
        'files = [',
      );
      d.line(`    {file = "${p}.whl", hash = "sha256:${d.d('hash', r.chars(HEX, 64))}"},`, ']', '');
    }
  });
  w.file('Cargo.lock', (d) => {
    for (const p of ['serde', 'tokio', 'rand', 'ring']) {
      d.line('[[package]]', `name = "${p}"`, `version = "1.${r.between(0, 40)}.${r.between(0, 9)}"`);
      d.line(
        'source = "registry+https://github.com/rust-lang/crates.io-index"',
        `checksum = "${d.d('hash', r.chars(HEX, 64))}"`,
        '',
      );
    }
  });
  w.file('web/public/assets/app.min.js', (d) => {
    const ids = () =>
      Array.from({ length: 30 }, () => `${r.chars(LOWER, 1)}${r.chars(ALNUM, r.between(1, 3))}`).join(',');
    d.line(
      `!function(){var ${ids()};${d.d('minified', `window.__CHUNKS__={${Array.from({ length: 12 }, () => `"${r.chars(HEX, 8)}":"${r.chars(BASE64URL, 20)}"`).join(',')}}`)};`,
    );
    d.line(
      `var mapsKey="${d.s({ provider: 'google', kind: 'google-api-key', secret: f.googleApiKey(r) })}";`,
    );
    d.line(`var logo="${d.d('data-uri', `data:image/png;base64,${r.bytes(1200).toString('base64')}`)}";`);
    d.line(
      `}();`,
      `//# sourceMappingURL=${d.d('data-uri', `data:application/json;base64,${Buffer.from(JSON.stringify({ version: 3, mappings: r.chars(BASE64URL, 600) })).toString('base64')}`)}`,
    );
  });
  w.file('web/src/styles/icons.css', (d) => {
    for (const name of ['check', 'close', 'menu']) {
      d.line(
        `.icon-${name} { background-image: url("${d.d('data-uri', `data:image/png;base64,${r.bytes(400).toString('base64')}`)}"); }`,
      );
    }
  });
  w.file('migrations/0007_seed_admin.sql', (d) => {
    d.line('-- seed the admin user; the password hash is bcrypt (cost 12)');
    d.line(
      `INSERT INTO users (email, password_hash) VALUES ('admin@acme.dev', '${d.d('password-hash', `$2b$12$${r.chars(BASE64.replace(/[+]/g, '.'), 53)}`)}');`,
    );
    d.line(
      `INSERT INTO api_clients (id, secret_sha256) VALUES ('${d.d('uuid', f.uuid(r))}', '${d.d('hash', r.chars(HEX, 64))}');`,
    );
  });
  w.file('.gitignore', (d) => d.line('node_modules/', 'dist/', '*.log', '.venv/', 'coverage/'));
  // Ignored by .gitignore: a scanner honouring it reads neither, so what they hold is not a finding.
  w.file('dist/server.js', (d) => {
    d.line(`const k = "${d.d('gitignored', f.stripeLive(r))}";`);
    d.line(`const a = "${d.d('gitignored', f.awsKeyId(r))}";`);
  });
  w.file('logs/api.log', (d) => {
    d.line(`2026-03-01T10:00:00Z INFO token=${d.d('gitignored', f.slackBot(r))}`);
  });
}
