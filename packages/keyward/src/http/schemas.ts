/**
 * JSON Schemas (TypeBox) for every request body, query and response of the v1 API. Fastify
 * validates requests against them and @fastify/swagger publishes them as the OpenAPI document,
 * so the validation and the documentation cannot disagree. Bodies reject unknown fields.
 */
import { API_ROLES, EDGE_KINDS, IDENTITY_KINDS, IDENTITY_STATUSES, SENSITIVITIES } from '@keyward/sdk';
import { type TSchema, Type } from '@sinclair/typebox';

const strict = { additionalProperties: false } as const;
const union = (values: readonly string[], description?: string) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    description ? { description } : {},
  );
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const Name = Type.String({ minLength: 1, maxLength: 200, pattern: '^[^\\u0000-\\u001f]+$' });
export const Text = Type.String({ maxLength: 2000 });
export const DateTime = Type.String({ format: 'date-time', maxLength: 40 });
export const Id = Type.String({
  pattern: '^(nhi|hum|res|sys|edg|tok|evt|lea|fed|crd|fnd|run|rev|rot)_[0-9a-f]{32}$',
  description: 'Keyward id',
});
export const Labels = Type.Record(
  Type.String({ minLength: 1, maxLength: 100 }),
  Type.String({ maxLength: 500 }),
  {
    maxProperties: 50,
  },
);
export const Environment = Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z0-9][a-z0-9_-]*$' });

export const IdentityKind = union(IDENTITY_KINDS);
export const IdentityStatus = union(IDENTITY_STATUSES);
export const Sensitivity = union(SENSITIVITIES);
export const EdgeKind = union(EDGE_KINDS);
export const ApiRole = union(API_ROLES);

export const SecretLocation = Type.Object(
  {
    store: Type.String({ minLength: 1, maxLength: 100 }),
    ref: Type.String({ minLength: 1, maxLength: 500 }),
  },
  strict,
);
export const CredentialMeta = Type.Object(
  {
    createdAt: Type.Optional(DateTime),
    lastRotatedAt: Type.Optional(DateTime),
    expiresAt: Type.Optional(DateTime),
    lastUsedAt: Type.Optional(DateTime),
    rotationPeriodDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 36500 })),
  },
  strict,
);

const identityFields = {
  ownerId: Type.Optional(Nullable(Id)),
  purpose: Type.Optional(Nullable(Text)),
  environment: Environment,
  businessSystem: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  origin: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  originExternalId: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  secretLocations: Type.Optional(Type.Array(SecretLocation, { maxItems: 50 })),
  credential: Type.Optional(CredentialMeta),
  reviewDate: Type.Optional(Nullable(DateTime)),
  status: Type.Optional(IdentityStatus),
  labels: Type.Optional(Labels),
  firstSeen: Type.Optional(DateTime),
  lastSeen: Type.Optional(Nullable(DateTime)),
};
export const IdentityInput = Type.Object({ name: Name, kind: IdentityKind, ...identityFields }, strict);
export const IdentityPatch = Type.Object(
  {
    name: Type.Optional(Name),
    ...identityFields,
    environment: Type.Optional(Environment),
    version: Type.Optional(
      Type.Integer({ minimum: 1, description: 'the version you read (or send it as If-Match: "<version>")' }),
    ),
  },
  strict,
);
export const Identity = Type.Object({
  id: Id,
  name: Type.String(),
  kind: IdentityKind,
  ownerId: Nullable(Type.String()),
  purpose: Nullable(Type.String()),
  environment: Type.String(),
  businessSystem: Nullable(Type.String()),
  origin: Type.String(),
  originExternalId: Nullable(Type.String()),
  secretLocations: Type.Array(SecretLocation),
  credential: CredentialMeta,
  reviewDate: Nullable(Type.String()),
  status: IdentityStatus,
  labels: Labels,
  firstSeen: Type.String(),
  lastSeen: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  version: Type.Integer(),
});
export const DisableBody = Type.Object(
  { version: Type.Optional(Type.Integer({ minimum: 1 })), reason: Type.Optional(Text) },
  strict,
);

export const HumanInput = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 254 }),
    name: Name,
    active: Type.Optional(Type.Boolean()),
    title: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  },
  strict,
);
export const HumanPatch = Type.Object(
  {
    email: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
    name: Type.Optional(Name),
    active: Type.Optional(Type.Boolean()),
    title: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    version: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  strict,
);
export const Human = Type.Object({
  id: Id,
  email: Type.String(),
  name: Type.String(),
  active: Type.Boolean(),
  title: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  version: Type.Integer(),
});

export const SystemInput = Type.Object(
  {
    name: Name,
    sensitivity: Sensitivity,
    ownerId: Type.Optional(Nullable(Id)),
    description: Type.Optional(Nullable(Text)),
  },
  strict,
);
export const SystemPatch = Type.Object(
  {
    name: Type.Optional(Name),
    sensitivity: Type.Optional(Sensitivity),
    ownerId: Type.Optional(Nullable(Id)),
    description: Type.Optional(Nullable(Text)),
    version: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  strict,
);
export const System = Type.Object({
  id: Id,
  name: Type.String(),
  sensitivity: Sensitivity,
  ownerId: Nullable(Type.String()),
  description: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  version: Type.Integer(),
});

const ResourceKind = Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z0-9][a-z0-9_-]*$' });
export const ResourceInput = Type.Object(
  {
    name: Name,
    kind: ResourceKind,
    systemId: Type.Optional(Nullable(Id)),
    environment: Type.Optional(Nullable(Environment)),
    sensitivity: Sensitivity,
    labels: Type.Optional(Labels),
  },
  strict,
);
export const ResourcePatch = Type.Object(
  {
    name: Type.Optional(Name),
    kind: Type.Optional(ResourceKind),
    systemId: Type.Optional(Nullable(Id)),
    environment: Type.Optional(Nullable(Environment)),
    sensitivity: Type.Optional(Sensitivity),
    labels: Type.Optional(Labels),
    version: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  strict,
);
export const Resource = Type.Object({
  id: Id,
  name: Type.String(),
  kind: Type.String(),
  systemId: Nullable(Type.String()),
  environment: Nullable(Type.String()),
  sensitivity: Sensitivity,
  labels: Labels,
  createdAt: Type.String(),
  updatedAt: Type.String(),
  version: Type.Integer(),
});

export const EdgeInput = Type.Object(
  {
    kind: EdgeKind,
    fromId: Id,
    toId: Id,
    actions: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_.:*/-]+$' }), {
        maxItems: 100,
      }),
    ),
  },
  strict,
);
export const Edge = Type.Object({
  id: Id,
  kind: EdgeKind,
  fromId: Type.String(),
  toId: Type.String(),
  actions: Type.Array(Type.String()),
  createdAt: Type.String(),
});

export const ApiTokenInput = Type.Object(
  { name: Name, role: ApiRole, expiresAt: Type.Optional(Nullable(DateTime)) },
  strict,
);
export const ApiToken = Type.Object({
  id: Id,
  name: Type.String(),
  role: ApiRole,
  prefix: Type.String(),
  createdAt: Type.String(),
  expiresAt: Nullable(Type.String()),
  lastUsedAt: Nullable(Type.String()),
  revokedAt: Nullable(Type.String()),
});

export const PageQuery = {
  cursor: Type.Optional(Type.String({ maxLength: 100 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
};
export const Page = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), nextCursor: Nullable(Type.String()) });

export const IdParams = Type.Object({ id: Id }, strict);

export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    code: Type.String(),
    instance: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
  },
  { $id: 'Problem', description: 'RFC 9457 problem details with a stable code' },
);
