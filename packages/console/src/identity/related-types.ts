/** Wire shapes the identity page reads that the SDK does not type (findings, alerts, tasks, audit). */

export interface Finding {
  id: string;
  code: string;
  rule: string;
  severity: string;
  status: string;
  title: string;
  identityId: string | null;
  firstSeenAt: string;
  lastSeenAt: string;
}

export interface Alert {
  id: string;
  type?: string;
  kind?: string;
  severity: string;
  status: string;
  title?: string;
  summary?: string;
  identityId: string | null;
  createdAt?: string;
  raisedAt?: string;
}

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

export interface AuditEvent {
  seq: number;
  at?: string;
  time?: string;
  type: string;
  actor: string;
  action?: string;
  outcome?: string;
  target?: string;
  subject?: string;
}

export interface DiscoveredCredential {
  id: string;
  kind: string;
  status: string;
  fingerprint?: string;
  location?: string;
  lastUsedAt?: string | null;
  createdAt?: string;
}

export interface Items<T> {
  items: T[];
  nextCursor: string | null;
}
