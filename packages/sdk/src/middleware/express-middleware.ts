/**
 * keywardExpress: Connect/Express-style middleware `(req, res, next)` with no Express dependency
 * (it only uses Node's ServerResponse methods, which Express responses extend). On success it sets
 * `req.keyward` to the VerifiedAccessToken and calls next(); otherwise it answers 401/403/503.
 */
import type { VerifiedAccessToken } from '../verifier/access-token.js';
import type { KeywardVerifier } from '../verifier/keyward-verifier.js';
import { authenticateBearer, type BearerAuthOptions } from './bearer-auth.js';

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
  options: BearerAuthOptions = {},
): KeywardExpressMiddleware {
  return (req, res, next) => {
    authenticateBearer(verifier, req.headers.authorization, options).then(
      (result) => {
        if (result.ok) {
          req.keyward = result.token;
          next();
          return;
        }
        const { refusal } = result;
        res.statusCode = refusal.status;
        if (refusal.challenge) res.setHeader('www-authenticate', refusal.challenge);
        res.setHeader('content-type', 'application/json');
        res.setHeader('cache-control', 'no-store');
        res.end(JSON.stringify(refusal.body));
      },
      (err: unknown) => next(err),
    );
  };
}
