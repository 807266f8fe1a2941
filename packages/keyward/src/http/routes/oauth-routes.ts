/**
 * The OAuth 2.0 endpoints: token (RFC 6749 + RFC 8693), introspection (RFC 7662) and revocation
 * (RFC 7009). They live in their own Fastify scope with a form-urlencoded body parser and an error
 * handler that answers the OAuth error shape (oauth/oauth-error.ts), not problem+json.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiTokenService } from '../../auth/api-token-service.js';
import { type FormParams, parseForm, required } from '../../oauth/form-params.js';
import type { Caller, IntrospectionService } from '../../oauth/introspection-service.js';
import { oauthError, toOAuthResponse } from '../../oauth/oauth-error.js';
import { authenticateClient, type TokenEndpoint } from '../../oauth/token-endpoint.js';
import type { WorkloadAuthService } from '../../workload-auth/workload-auth-service.js';

export interface OAuthRouteDeps {
  tokenEndpoint: TokenEndpoint;
  introspection: IntrospectionService;
  tokens: ApiTokenService;
  workloadAuth: Pick<WorkloadAuthService, 'authenticateClientAssertion'>;
  issuer: () => string;
}

const FORM = 'application/x-www-form-urlencoded';

function sendOAuth(reply: FastifyReply, status: number, body: object): FastifyReply {
  reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
  if (status === 401) reply.header('www-authenticate', 'Bearer error="invalid_client"');
  return reply.code(status).type('application/json').send(body);
}

export function registerOAuthRoutes(app: FastifyInstance, deps: OAuthRouteDeps): void {
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(FORM, { parseAs: 'string' }, (_req, body, done) => {
      done(null, parseForm(body as string));
    });
    scope.setErrorHandler((err, request, reply) => {
      const { status, body } = toOAuthResponse(
        (err as { code?: string }).code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
          ? oauthError('invalid_request', `send ${FORM}`)
          : err,
      );
      if (status >= 500) request.log.error({ err }, 'oauth request failed');
      return sendOAuth(reply, status, body);
    });

    const paramsOf = (request: FastifyRequest): FormParams => {
      if (!(request.body instanceof Map)) throw oauthError('invalid_request', `send ${FORM}`);
      return request.body as FormParams;
    };

    /** Resource servers and operators by API token; agents by private_key_jwt. */
    async function caller(request: FastifyRequest, params: FormParams, endpoint: string): Promise<Caller> {
      const authorization = request.headers.authorization;
      if (authorization) {
        const match = /^Bearer\s+(\S+)$/i.exec(authorization);
        if (!match?.[1]) throw oauthError('invalid_client', 'malformed Authorization header');
        return { kind: 'api', principal: await deps.tokens.authenticate(match[1]) };
      }
      const audience = [deps.issuer(), `${deps.issuer()}${endpoint}`];
      const identity = await authenticateClient(deps, params, audience);
      if (!identity) throw oauthError('invalid_client', 'authenticate with an API token or private_key_jwt');
      return { kind: 'agent', identity };
    }

    const config = { public: true };
    const schema = { tags: ['oauth'], security: [] };
    scope.post(
      '/oauth2/token',
      { config, schema: { ...schema, summary: 'OAuth 2.0 token endpoint' } },
      async (request, reply) => {
        const { status, body } = await deps.tokenEndpoint.handle(paramsOf(request));
        return sendOAuth(reply, status, body);
      },
    );
    scope.post(
      '/oauth2/introspect',
      { config, schema: { ...schema, summary: 'Token introspection (RFC 7662)' } },
      async (request, reply) => {
        const params = paramsOf(request);
        const who = await caller(request, params, '/oauth2/introspect');
        return sendOAuth(reply, 200, await deps.introspection.introspect(who, required(params, 'token')));
      },
    );
    scope.post(
      '/oauth2/revoke',
      { config, schema: { ...schema, summary: 'Token revocation (RFC 7009)' } },
      async (request, reply) => {
        const params = paramsOf(request);
        const who = await caller(request, params, '/oauth2/revoke');
        await deps.introspection.revoke(who, required(params, 'token'));
        return reply.code(200).header('cache-control', 'no-store').send();
      },
    );
  });
}
