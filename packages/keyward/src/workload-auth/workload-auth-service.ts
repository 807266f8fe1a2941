/**
 * Workload authentication, the one entry point later faces (the token endpoint, the MCP gateway)
 * use: private_key_jwt client assertions and federated tokens from trusted issuers.
 *
 *   authenticateClientAssertion(assertion, {audience?}) → Identity
 *   checkClientAssertion(assertion, {audience?}) → the same, jti left for the caller's commit
 *   authenticateFederatedToken(token) → {kind: 'identity', identity, …} | {kind: 'human', human, …}
 *
 * Both throw KeywardError('invalid_client') — a WorkloadAuthError with a stable `reason` — and audit
 * every refusal as `workload_auth.refused`.
 */
import { type ClientAssertionServiceDeps, createClientAssertionService } from './client-assertion-service.js';
import { createFederatedTokenService, type FederatedTokenServiceDeps } from './federated-token-service.js';

export type WorkloadAuthServiceDeps = ClientAssertionServiceDeps & FederatedTokenServiceDeps;

export function createWorkloadAuthService(deps: WorkloadAuthServiceDeps) {
  const assertions = createClientAssertionService(deps);
  const federated = createFederatedTokenService(deps);
  return {
    authenticateClientAssertion: assertions.authenticateClientAssertion,
    checkClientAssertion: assertions.checkClientAssertion,
    refuseReplay: assertions.refuseReplay,
    authenticateFederatedToken: federated.authenticateFederatedToken,
    pruneUsedJtis: assertions.pruneUsedJtis,
  };
}

export type WorkloadAuthService = ReturnType<typeof createWorkloadAuthService>;
