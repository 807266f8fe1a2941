/**
 * Connection URLs with a password in them (`postgres://user:password@host/db` and the like). The
 * secret is the password alone, so the same password in two URLs is one fingerprint; the user and
 * host are identifiers. Placeholders and default credentials (`password`, `changeme`, `${DB_PASS}`,
 * `<password>`, `****`, a password equal to its user name) are not findings.
 */
import { type BuiltinRule, rule } from '../rule-kit.js';

const SCHEMES = [
  'postgres',
  'postgresql',
  'mysql',
  'mariadb',
  'mongodb',
  'mongodb+srv',
  'redis',
  'rediss',
  'amqp',
  'amqps',
  'mssql',
  'sqlserver',
  'cockroachdb',
  'clickhouse',
];

const DB_URL = new RegExp(
  `(?<![\\w+.-])(?:${SCHEMES.map((s) => s.replace('+', '\\+')).join('|')})(?:\\+[a-z0-9]+)?://` +
    `(?<user>[^:@/\\s"'\`<>]{0,128}):(?<secret>[^@/\\s"'\`]{1,256})@(?<host>[^\\s/"'\`:?,;@]+)`,
  'gi',
);

const DEFAULTS = new Set([
  'password',
  'passwd',
  'pass',
  'pwd',
  'secret',
  'changeme',
  'change_me',
  'admin',
  'root',
  'test',
  'testing',
  'guest',
  'default',
  'example',
  'user',
  'username',
  'mypassword',
  'yourpassword',
  'dbpassword',
  'db_password',
  'db_pass',
  'letmein',
  'qwerty',
  '123456',
  '12345678',
  'postgres',
  'mysql',
  'redis',
  'mongo',
]);

export function isPlaceholderPassword(password: string, user: string): boolean {
  const p = password.toLowerCase();
  return (
    DEFAULTS.has(p) ||
    p === user.toLowerCase() ||
    /^(?:\$|%|\{|<|\[|:)/.test(p) ||
    /^(?:\*+|x+|\.+|_+|-+|#+|\?+)$/.test(p) ||
    /^(?:pass(?:word)?|pw|pwd)[_-]?\d?$/.test(p) ||
    /\$\{|\{\{|%\(|%s/.test(p) ||
    /password|passwd|secret|changeme|example/.test(p)
  );
}

/** `mysql -u app -p'S3cr3t…'`: the password glued to -p (a space after -p means "prompt"). */
const MYSQL_FLAG =
  /mysql(?:dump|admin|import|sh)?\b[^\n]{0,200}?\s-p(?<q>['"]?)(?<secret>[^\s'"]{6,128})\k<q>(?=\s|$)/g;

export const databaseRules: BuiltinRule[] = [
  rule(
    'mysql-password-flag',
    'database',
    'high',
    'MySQL client password on the command line (-p<password>)',
    ['mysql'],
    MYSQL_FLAG,
    {
      anchored: true,
      check: (secret) => (isPlaceholderPassword(secret, '') ? false : {}),
    },
  ),
  rule(
    'database-url-password',
    'database',
    'high',
    'Database or message-broker URL with a password',
    SCHEMES.filter((s) => !s.includes('+')),
    DB_URL,
    {
      anchored: true,
      check(secret, ctx) {
        const user = ctx.match.groups?.['user'] ?? '';
        const host = ctx.match.groups?.['host'] ?? '';
        if (isPlaceholderPassword(secret, user)) return false;
        const identifiers: Record<string, string> = { dbHost: host };
        if (user) identifiers['dbUser'] = user;
        return { identifiers };
      },
    },
  ),
];
