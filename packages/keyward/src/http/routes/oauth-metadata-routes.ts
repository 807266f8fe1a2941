/**
 * Public discovery documents: the JWKS that verifies Keyward's tokens (RFC 7517) and the OAuth 2.0
 * authorization server metadata (RFC 8414). No authentication: resource servers and workloads read
 * them before they hold any credential.
 */
import type { FastifyInstance } from 'fastify';
import type { SigningKeyService } from '../../keys/signing-key-service.js';
import { ASSERTION_ALGS } from '../../workload-auth/public-jwk.js';
import { Jwks } from '../workload-auth-schemas.js';

export interface OAuthMetadataRouteDeps {
  signingKeys: SigningKeyService;
  /** Keyward's issuer URL (no trailing slash). */
  issuer: () => string;
}

/** RFC 8414 metadata for `issuer`. Endpoints under /oauth2/ are served by the token service. */
export function authorizationServerMetadata(issuer: string) {
  return {
    issuer,
    token_endpoint: `${issuer}/oauth2/token`,
    introspection_endpoint: `${issuer}/oauth2/introspect`,
    revocation_endpoint: `${issuer}/oauth2/revoke`,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    grant_types_supported: ['client_credentials', 'urn:ietf:params:oauth:grant-type:token-exchange'],
    // No authorization endpoint: machine clients only, so no response type applies.
    response_types_supported: [],
    token_endpoint_auth_methods_supported: ['private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: [...ASSERTION_ALGS],
    introspection_endpoint_auth_methods_supported: ['private_key_jwt'],
    revocation_endpoint_auth_methods_supported: ['private_key_jwt'],
  };
}

export function registerOAuthMetadataRoutes(
  app: FastifyInstance,
  { signingKeys, issuer }: OAuthMetadataRouteDeps,
): void {
  app.get(
    '/.well-known/jwks.json',
    {
      config: { public: true },
      schema: {
        tags: ['oauth'],
        summary: 'Public keys that verify tokens Keyward signs (RFC 7517)',
        security: [],
        response: { 200: Jwks },
      },
    },
    async (_request, reply) => {
      // Short cache: a verifier meeting an unknown kid refetches anyway.
      reply.header('cache-control', 'public, max-age=60');
      reply.type('application/jwk-set+json');
      return signingKeys.jwks();
    },
  );
  app.get(
    '/.well-known/oauth-authorization-server',
    {
      config: { public: true },
      schema: {
        tags: ['oauth'],
        summary: 'OAuth 2.0 authorization server metadata (RFC 8414)',
        security: [],
        response: { 200: { type: 'object', additionalProperties: true } },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      return authorizationServerMetadata(issuer());
    },
  );
}
