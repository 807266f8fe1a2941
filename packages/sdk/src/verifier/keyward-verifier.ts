/**
 * createVerifier: offline verification of Keyward access tokens for resource servers, on jose
 * (WebCrypto), so it runs wherever `fetch` and WebCrypto do. Keys come from Keyward's JWKS; only
 * ES256 and EdDSA are accepted, `typ` must be at+jwt, and iss/aud/exp/nbf/iat are checked with a
 * small clock tolerance. With an API token the verifier also follows the revocation feed (SSE or
 * polling) and refuses tokens revoked there, typically within a second of the revocation.
 * On Node, `createNodeVerifier` from `@keyward/sdk/node` does the same checks several times faster.
 */
import {
  createVerifierWith,
  joseTokenCheck,
  type KeywardVerifier,
  type VerifierOptions,
} from './verifier-core.js';

export type { KeywardVerifier, VerifierOptions } from './verifier-core.js';

export function createVerifier(options: VerifierOptions): KeywardVerifier {
  return createVerifierWith(options, joseTokenCheck);
}
