/**
 * JSON Schemas (TypeBox) for signing keys, identity public keys and federation issuers. JWKs are
 * open objects (their members depend on kty); the services validate them.
 */
import { Type } from '@sinclair/typebox';

const strict = { additionalProperties: false } as const;

export const Jwk = Type.Object(
  { kty: Type.String({ maxLength: 10 }) },
  { additionalProperties: true, maxProperties: 20, description: 'a JSON Web Key (RFC 7517)' },
);
export const Jwks = Type.Object({ keys: Type.Array(Jwk) }, { additionalProperties: true });

export const SigningKey = Type.Object({
  kid: Type.String(),
  alg: Type.String(),
  status: Type.Union([Type.Literal('active'), Type.Literal('retired')]),
  createdAt: Type.String(),
  retiredAt: Type.Union([Type.String(), Type.Null()]),
  publishedUntil: Type.Union([Type.String(), Type.Null()]),
  publicJwk: Jwk,
});

export const IdentityKey = Type.Object({
  identityId: Type.String(),
  kid: Type.String(),
  thumbprint: Type.String(),
  publicJwk: Jwk,
  createdAt: Type.String(),
});
export const IdentityKeyParams = Type.Object(
  { id: Type.String({ maxLength: 40 }), kid: Type.String({ minLength: 1, maxLength: 200 }) },
  strict,
);

const Url = Type.String({ minLength: 8, maxLength: 500 });
const ClaimValue = Type.Union([Type.String({ maxLength: 500 }), Type.Number(), Type.Boolean()]);
export const FederationRule = Type.Object(
  {
    subject: Type.Optional(
      Type.String({ minLength: 1, maxLength: 500, description: 'glob: * = one segment, ** = anything' }),
    ),
    subjectRegex: Type.Optional(
      Type.String({ minLength: 1, maxLength: 500, description: 'anchored regular expression' }),
    ),
    requiredClaims: Type.Optional(
      Type.Record(Type.String({ minLength: 1, maxLength: 100 }), ClaimValue, { maxProperties: 20 }),
    ),
    identityId: Type.Optional(Type.String({ pattern: '^nhi_[0-9a-f]{32}$' })),
    humanId: Type.Optional(Type.String({ pattern: '^hum_[0-9a-f]{32}$' })),
    humanEmailClaim: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  },
  strict,
);
const issuerFields = {
  jwksUri: Type.Optional(Type.Union([Url, Type.Null()])),
  jwks: Type.Optional(
    Type.Union([Type.Object({ keys: Type.Array(Jwk, { minItems: 1, maxItems: 20 }) }, strict), Type.Null()]),
  ),
  audiences: Type.Array(Type.String({ minLength: 1, maxLength: 500 }), { minItems: 1, maxItems: 20 }),
  algorithms: Type.Optional(Type.Array(Type.String({ maxLength: 10 }), { minItems: 1, maxItems: 10 })),
  rules: Type.Array(FederationRule, { minItems: 1, maxItems: 100 }),
};
export const FederationIssuerInput = Type.Object({ issuer: Url, ...issuerFields }, strict);
export const FederationIssuerPatch = Type.Object(
  {
    issuer: Type.Optional(Url),
    jwksUri: issuerFields.jwksUri,
    jwks: issuerFields.jwks,
    audiences: Type.Optional(issuerFields.audiences),
    algorithms: issuerFields.algorithms,
    rules: Type.Optional(issuerFields.rules),
    version: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  strict,
);
export const FederationIssuer = Type.Object({
  id: Type.String(),
  issuer: Type.String(),
  jwksUri: Type.Union([Type.String(), Type.Null()]),
  jwks: Type.Union([Jwks, Type.Null()]),
  audiences: Type.Array(Type.String()),
  algorithms: Type.Array(Type.String()),
  rules: Type.Array(FederationRule),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  version: Type.Integer(),
});
