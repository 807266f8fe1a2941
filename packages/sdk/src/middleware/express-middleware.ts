/**
 * keywardExpress: Connect/Express-style middleware `(req, res, next)` with no Express dependency
 * (it only uses Node's ServerResponse methods, which Express responses extend). On success it sets
 * `req.keyward` to the VerifiedAccessToken and calls next(); otherwise it answers 401/403/503.
 */
import type { VerifiedAccessToken } from '../verifier/access-token.js';
import type { KeywardVerifier } from '../verifier/keyward-verifier.js';
import { authenticateBearer, type BearerAuthOptions, bearerToken } from './bearer-auth.js';
import { type AuthzRefusal, authorizeRequest, type RequestAuthorization } from './request-authz.js';

export interface KeywardExpressOptions extends BearerAuthOptions {
  /** Also ask Keyward per request (403 on deny, 202 + approval id when approval is required). */
  authorize?: RequestAuthorization<KeywardExpressRequest> | undefined;
}

function sendJson(res: KeywardExpressResponse, status: number, body: AuthzRefusal['body'] | object): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.setHeader('cache-control', 'no-store');
  res.end(JSON.stringify(body));
}

/** The parts of an incoming request the middleware reads and writes. */
export interface KeywardExpressRequest {
  headers: { authorization?: string | string[] | undefined } & Record<string, unknown>;
  keyward?: VerifiedAccessToken | undefined;
}

/** The parts of a response it uses (present on Node's ServerResponse, hence on Express's). */
export interface KeywardExpressResponse {
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  end(body: string): unknown;
}

export type KeywardExpressMiddleware = (
  req: KeywardExpressRequest,
  res: KeywardExpressResponse,
  next: (err?: unknown) => void,
) => void;

export function keywardExpress(
  verifier: KeywardVerifier,
  options: KeywardExpressOptions = {},
): KeywardExpressMiddleware {
  return (req, res, next) => {
    authenticateBearer(verifier, req.headers.authorization, options).then(
      async (result) => {
        if (result.ok) {
          req.keyward = result.token;
          if (options.authorize) {
            const raw = bearerToken(req.headers.authorization)!;
            const authz = await authorizeRequest(options.authorize, req, raw, result.token);
            if (!authz.ok) return sendJson(res, authz.refusal.status, authz.refusal.body);
          }
          next();
          return;
        }
        const { refusal } = result;
        if (refusal.challenge) res.setHeader('www-authenticate', refusal.challenge);
        sendJson(res, refusal.status, refusal.body);
      },
      (err: unknown) => next(err),
    );
  };
}
