/**
 * One way to read "the agent presenting this JWT": a private_key_jwt client assertion (its `iss`
 * is an identity id, `nhi_…`) or a federated token from a trusted issuer that maps to an identity.
 * A federated token mapping to a human is refused here: an agent is never a human.
 */
import type { Identity } from '@keyward/sdk';
import { decodeJwt } from 'jose';
import { ID_PREFIX } from '../ids.js';
import { WorkloadAuthError } from '../workload-auth/auth-refusal.js';
import type { WorkloadAuthService } from '../workload-auth/workload-auth-service.js';

export type WorkloadAuthenticator = (credential: string, audience: string[]) => Promise<Identity>;

export function createWorkloadAuthenticator(
  workloadAuth: Pick<WorkloadAuthService, 'authenticateClientAssertion' | 'authenticateFederatedToken'>,
): WorkloadAuthenticator {
  return async (credential, audience) => {
    let iss: unknown;
    try {
      iss = decodeJwt(credential).iss;
    } catch {
      iss = undefined;
    }
    if (typeof iss !== 'string' || iss.startsWith(ID_PREFIX.identity)) {
      return workloadAuth.authenticateClientAssertion(credential, { audience });
    }
    const principal = await workloadAuth.authenticateFederatedToken(credential);
    if (principal.kind !== 'identity') {
      throw new WorkloadAuthError('unknown_target', 'the federated token maps to a human, not an agent');
    }
    return principal.identity;
  };
}
