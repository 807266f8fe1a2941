/** Request and response schemas of the discovery routes (imports, scans, findings, credentials). */
import { Type } from '@sinclair/typebox';
import { FINDING_SEVERITIES, FINDING_STATUSES } from '../../discovery/discovery-types.js';

const strict = { additionalProperties: false } as const;
const literals = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Short = Type.String({ minLength: 1, maxLength: 500 });

export const ImportSourceSchema = literals(['aws-iam', 'kubernetes', 'github', 'generic']);

export const ImportBody = Type.Object(
  {
    source: ImportSourceSchema,
    files: Type.Optional(
      Type.Array(Type.Object({ path: Short, text: Type.String() }, strict), {
        minItems: 1,
        maxItems: 10_000,
      }),
    ),
    path: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 4096,
        description: 'server-side path under KEYWARD_DISCOVERY_ROOTS',
      }),
    ),
    scope: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    environment: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    mapping: Type.Optional(
      Type.Record(
        Type.String({ minLength: 1, maxLength: 200 }),
        Type.String({ minLength: 1, maxLength: 100 }),
      ),
    ),
    partial: Type.Optional(Type.Boolean()),
    dryRun: Type.Optional(Type.Boolean()),
  },
  { ...strict, description: 'files (uploaded) or path (read by the server); exactly one' },
);

const Location = Type.Object(
  {
    path: Type.String({ maxLength: 4096 }),
    line: Type.Integer({ minimum: 0 }),
    column: Type.Integer({ minimum: 0 }),
    commit: Type.Optional(Type.String({ maxLength: 100 })),
    author: Type.Optional(Type.String({ maxLength: 500 })),
    date: Type.Optional(Type.String({ maxLength: 40 })),
    historyOnly: Type.Optional(Type.Boolean()),
  },
  strict,
);

export const SecretFindingSchema = Type.Object(
  {
    ruleId: Type.String({ minLength: 1, maxLength: 100 }),
    provider: Type.String({ minLength: 1, maxLength: 100 }),
    severity: literals(['low', 'medium', 'high', 'critical']),
    description: Type.String({ maxLength: 500 }),
    redacted: Type.String({ maxLength: 24 }),
    fingerprint: Type.String({ pattern: '^sha256:[0-9a-f]{64}$' }),
    identifiers: Type.Record(Type.String({ maxLength: 100 }), Type.String({ maxLength: 500 })),
    location: Location,
  },
  strict,
);

export const ScanBody = Type.Object(
  {
    target: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 500,
        description: 'repository or directory name shown in findings',
      }),
    ),
    findings: Type.Optional(Type.Array(SecretFindingSchema, { maxItems: 100_000 })),
    problems: Type.Optional(
      Type.Array(
        Type.Object(
          { path: Type.String({ maxLength: 4096 }), reason: Type.String({ maxLength: 2000 }) },
          strict,
        ),
        { maxItems: 100_000 },
      ),
    ),
    stats: Type.Optional(Type.Object({}, { additionalProperties: true })),
    path: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 4096,
        description: 'server-side path under KEYWARD_DISCOVERY_ROOTS',
      }),
    ),
    history: Type.Optional(Type.Boolean()),
  },
  { ...strict, description: 'findings of a scan run elsewhere (the CLI), or a server-side path to scan' },
);

export const FindingQuery = Type.Object(
  {
    code: Type.Optional(Type.String({ pattern: '^NHI([1-9]|10)$' })),
    rule: Type.Optional(Type.String({ maxLength: 100 })),
    status: Type.Optional(literals(FINDING_STATUSES)),
    severity: Type.Optional(literals(FINDING_SEVERITIES)),
    identityId: Type.Optional(Type.String({ maxLength: 100 })),
    credentialId: Type.Optional(Type.String({ maxLength: 100 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    cursor: Type.Optional(Type.String({ maxLength: 100 })),
  },
  strict,
);

export const CredentialQuery = Type.Object(
  {
    identityId: Type.Optional(Type.String({ maxLength: 100 })),
    kind: Type.Optional(Type.String({ maxLength: 100 })),
    status: Type.Optional(literals(['active', 'inactive', 'revoked'])),
    scope: Type.Optional(Type.String({ maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    cursor: Type.Optional(Type.String({ maxLength: 100 })),
  },
  strict,
);

export const RunQuery = Type.Object(
  {
    type: Type.Optional(literals(['import', 'scan'])),
    scope: Type.Optional(Type.String({ maxLength: 500 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    cursor: Type.Optional(Type.String({ maxLength: 100 })),
  },
  strict,
);

export const ResolveBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 1000 }) }, strict);
export const AcceptBody = Type.Object(
  {
    reason: Type.String({ minLength: 1, maxLength: 1000 }),
    until: Type.String({ format: 'date-time', maxLength: 40 }),
  },
  strict,
);
export const AdoptBody = Type.Object(
  {
    version: Type.Optional(Type.Integer({ minimum: 1 })),
    ownerId: Type.Optional(Type.String({ maxLength: 100 })),
    purpose: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
    reviewDate: Type.Optional(Type.String({ format: 'date-time', maxLength: 40 })),
  },
  strict,
);
