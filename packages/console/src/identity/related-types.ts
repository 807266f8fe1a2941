/**
 * Wire shapes the identity page reads that neither the SDK nor the other pages type (tasks,
 * discovered credentials, registered keys); findings, alerts and audit events come from their pages.
 */

export type { AuditEvent } from '../audit/audit-types.js';
export type { Alert, Finding } from '../triage/triage-types.js';

export interface Task {
  id: string;
  agentId: string;
  sponsorId: string;
  intent: string;
  status: string;
  environment: string;
  createdAt: string;
  expiresAt: string;
}

/** A credential found by discovery (an access key, a token, a deploy key …) linked to the identity. */
export interface DiscoveredCredential {
  id: string;
  kind: string;
  status: string;
  externalId: string;
  hint: string | null;
  createdAt: string | null;
  lastRotatedAt: string | null;
  lastUsedAt: string | null;
  expiresAt: string | null;
}

export interface Items<T> {
  items: T[];
  nextCursor: string | null;
}

export interface RegisteredKey {
  identityId: string;
  kid: string;
  thumbprint: string;
  publicJwk: { kty: string; crv?: string };
  createdAt: string;
}
