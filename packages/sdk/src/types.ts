/**
 * Wire types of the Keyward HTTP API (v1). The server's domain uses these same types, so the SDK,
 * the CLI and the HTTP routes cannot drift apart. JSON field names are camelCase; times are
 * ISO-8601 strings in UTC.
 */

export const IDENTITY_KINDS = [
  'service_account',
  'api_key',
  'oauth_app',
  'agent',
  'workload',
  'bot',
  'certificate',
  'token',
] as const;
export type IdentityKind = (typeof IDENTITY_KINDS)[number];

export const IDENTITY_STATUSES = ['active', 'disabled', 'revoked', 'orphaned'] as const;
export type IdentityStatus = (typeof IDENTITY_STATUSES)[number];

/** Ordered from least to most sensitive; blast radius ranks by this order. */
export const SENSITIVITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Sensitivity = (typeof SENSITIVITIES)[number];

export const API_ROLES = ['admin', 'operator', 'auditor'] as const;
export type ApiRole = (typeof API_ROLES)[number];

/** Where a secret of the identity lives (a vault path, a CI variable, a file in a repo …). */
export interface SecretLocation {
  store: string;
  ref: string;
}

export interface CredentialMeta {
  createdAt?: string | undefined;
  lastRotatedAt?: string | undefined;
  expiresAt?: string | undefined;
  lastUsedAt?: string | undefined;
  rotationPeriodDays?: number | undefined;
}

export interface Identity {
  id: string;
  name: string;
  kind: IdentityKind;
  ownerId: string | null;
  purpose: string | null;
  environment: string;
  businessSystem: string | null;
  /** Where it was created: aws, kubernetes, github, gcp, azure, saas, manual … */
  origin: string;
  originExternalId: string | null;
  secretLocations: SecretLocation[];
  credential: CredentialMeta;
  /** The identity's end when it has no credential expiry: the date by which it must be reviewed. */
  reviewDate: string | null;
  status: IdentityStatus;
  labels: Record<string, string>;
  firstSeen: string;
  lastSeen: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface IdentityInput {
  name: string;
  kind: IdentityKind;
  ownerId?: string | null | undefined;
  purpose?: string | null | undefined;
  environment: string;
  businessSystem?: string | null | undefined;
  origin?: string | undefined;
  originExternalId?: string | null | undefined;
  secretLocations?: SecretLocation[] | undefined;
  credential?: CredentialMeta | undefined;
  reviewDate?: string | null | undefined;
  status?: IdentityStatus | undefined;
  labels?: Record<string, string> | undefined;
  firstSeen?: string | undefined;
  lastSeen?: string | null | undefined;
}

/** A partial update; `version` is the version the caller read (optimistic concurrency). */
export type IdentityPatch = Partial<Omit<IdentityInput, 'kind'>> & { version: number };

export interface IdentityFilter {
  kind?: IdentityKind | undefined;
  status?: IdentityStatus | undefined;
  environment?: string | undefined;
  ownerId?: string | undefined;
  origin?: string | undefined;
  businessSystem?: string | undefined;
  /** `key=value` label match. */
  label?: string | undefined;
  /** Case-insensitive substring of name or purpose. */
  q?: string | undefined;
}

export interface Human {
  id: string;
  email: string;
  name: string;
  active: boolean;
  title: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}
export interface HumanInput {
  email: string;
  name: string;
  active?: boolean | undefined;
  title?: string | null | undefined;
}
export type HumanPatch = Partial<HumanInput> & { version: number };
export interface HumanFilter {
  active?: boolean | undefined;
  q?: string | undefined;
}

export interface System {
  id: string;
  name: string;
  sensitivity: Sensitivity;
  ownerId: string | null;
  description: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}
export interface SystemInput {
  name: string;
  sensitivity: Sensitivity;
  ownerId?: string | null | undefined;
  description?: string | null | undefined;
}
export type SystemPatch = Partial<SystemInput> & { version: number };

export interface Resource {
  id: string;
  name: string;
  /** database, bucket, secret_store, repository, api, queue, cluster, group, role … */
  kind: string;
  systemId: string | null;
  environment: string | null;
  sensitivity: Sensitivity;
  labels: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  version: number;
}
export interface ResourceInput {
  name: string;
  kind: string;
  systemId?: string | null | undefined;
  environment?: string | null | undefined;
  sensitivity: Sensitivity;
  labels?: Record<string, string> | undefined;
}
export type ResourcePatch = Partial<ResourceInput> & { version: number };
export interface ResourceFilter {
  kind?: string | undefined;
  systemId?: string | undefined;
  sensitivity?: Sensitivity | undefined;
  environment?: string | undefined;
  q?: string | undefined;
}

export const EDGE_KINDS = [
  'created',
  'owns',
  'sponsors',
  'delegates_to',
  'can_assume',
  'has_permission',
  'stored_in',
  'member_of',
] as const;
export type EdgeKind = (typeof EDGE_KINDS)[number];

export interface Edge {
  id: string;
  kind: EdgeKind;
  fromId: string;
  toId: string;
  /** Only for has_permission: the actions granted (e.g. read, write, admin). */
  actions: string[];
  createdAt: string;
}
export interface EdgeInput {
  kind: EdgeKind;
  fromId: string;
  toId: string;
  actions?: string[] | undefined;
}
export interface EdgeFilter {
  kind?: EdgeKind | undefined;
  fromId?: string | undefined;
  toId?: string | undefined;
}

export interface Page<T> {
  items: T[];
  /** Opaque; pass back as `cursor` to get the next page. Null on the last page. */
  nextCursor: string | null;
}
export interface PageRequest {
  cursor?: string | undefined;
  limit?: number | undefined;
}

export type NodeType = 'identity' | 'human' | 'resource' | 'system';

/** A node of the lineage graph as returned by queries (enough to display it). */
export interface GraphNodeRef {
  id: string;
  type: NodeType;
  name: string;
  kind: string | null;
  status: IdentityStatus | null;
  sensitivity: Sensitivity | null;
  environment: string | null;
}

/** One hop, in walking order: from `fromId` to `toId`. */
export interface PathStep {
  fromId: string;
  toId: string;
  kind: EdgeKind;
  /**
   * True when the underlying edge points the other way (toId → fromId): stored_in walked from the
   * store to the identity whose secret it holds, or an ancestor reached in lineage.
   */
  reversed: boolean;
  actions: string[];
}

export interface LineageEntry {
  node: GraphNodeRef;
  /** Hops from the subject. */
  depth: number;
  /** The edge kind that links this entry to the previous one on the way from the subject. */
  via: EdgeKind;
  path: PathStep[];
}
export interface Lineage {
  subject: GraphNodeRef;
  ancestors: LineageEntry[];
  descendants: LineageEntry[];
}

export interface BlastRadiusEntry {
  node: GraphNodeRef;
  distance: number;
  /** Actions reachable on this node (union over every reached principal's has_permission edges). */
  actions: string[];
  path: PathStep[];
}
export interface BlastRadius {
  subject: GraphNodeRef;
  /** Totals over the whole reach, not only the returned entries. */
  totals: {
    reachable: number;
    identities: number;
    resources: number;
    systems: number;
    bySensitivity: Record<Sensitivity, number>;
  };
  /** Ranked: sensitivity (critical first), then distance, then id. Truncated to the requested limit. */
  entries: BlastRadiusEntry[];
  truncated: boolean;
  /** Every node named by the returned paths, by id, so intermediate hops can be shown by name. */
  refs: Record<string, GraphNodeRef>;
}

export interface GraphPath {
  from: GraphNodeRef;
  to: GraphNodeRef;
  reachable: boolean;
  /** Shortest path over traversable edges; empty when unreachable or from === to. */
  steps: PathStep[];
  nodes: GraphNodeRef[];
}

export interface ApiToken {
  id: string;
  name: string;
  role: ApiRole;
  /** First characters of the token, to recognise it; never the secret. */
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}
export interface ApiTokenInput {
  name: string;
  role: ApiRole;
  expiresAt?: string | null | undefined;
}
/** Returned once, at creation: the only time the secret is visible. */
export interface CreatedApiToken {
  token: ApiToken;
  secret: string;
}

/** RFC 9457 problem details, with Keyward's stable `code`. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: string;
  instance?: string;
  errors?: Array<{ path: string; message: string }>;
}

/** Estate-wide counts for dashboards and `keyward summary`. */
export interface EstateSummary {
  identities: {
    total: number;
    byKind: Record<IdentityKind, number>;
    byStatus: Record<IdentityStatus, number>;
    byEnvironment: Record<string, number>;
  };
  humans: { total: number; inactive: number };
  resources: number;
  systems: number;
  edges: number;
  hygiene: {
    withoutOwner: number;
    /** Identities whose owner is an inactive human. */
    ownerLeft: number;
    rotationOverdue: number;
    expired: number;
    /** Active prod identities without a credential expiry or a review date. */
    noEnd: number;
    /** Unused for more than 90 days. */
    stale: number;
  };
  topBlastRadius: Array<{ identity: GraphNodeRef; reachable: number; critical: number }>;
  /** What discovery found: imported sources, unmanaged identities, found credentials, leaked secrets. */
  discovery?: DiscoverySummary | undefined;
}

export interface DiscoverySummary {
  /** Every imported source scope (`aws:123456789012`, `k8s:prod` …) with its record count. */
  sources: Array<{ scope: string; refs: number; lastImportedAt: string }>;
  /** Discovered identities nobody registered (no owner, purpose or end; agents never approved). */
  unmanaged: number;
  /** Of those, AI agents deployed outside the approval path. */
  unmanagedAgents: number;
  /** Identities their source no longer lists (marked, not deleted). */
  missingFromSource: number;
  /** Found credentials by status (active, inactive, revoked). */
  credentials: Record<string, number>;
  /** Open findings by OWASP NHI code. */
  openFindingsByCode: Record<string, number>;
  leakedSecrets: { open: number; resolved: number; revoked: number; medianHoursToRevoke: number | null };
}

/** How an estate KPI compares with the published industry figure beside it. */
export type PostureVerdict = 'better' | 'worse' | 'same';

/** A published industry figure (a survey result about organisations or their NHIs), with its wording. */
export interface PostureIndustryFigure {
  value: number;
  unit: '%';
  wording: string;
  /** The same in a few words, for a table column. */
  short: string;
  source: string;
}

/** One estate KPI (`GET /v1/posture/kpis`). */
export interface PostureKpi {
  /** Stable key: withOwner, fullVisibility, overPrivileged … */
  key: string;
  label: string;
  /** Null when undefined for this estate (a share of nothing, a median of no values). */
  value: number | null;
  unit: '%' | 'count' | 'days' | 'hours';
  /** For shares: how many identities (or credentials) count, out of `of`. */
  count?: number | undefined;
  of?: number | undefined;
  industry: PostureIndustryFigure | null;
  /** Null without an industry figure or without a value. */
  verdict: PostureVerdict | null;
  note?: string | undefined;
}

/** Estate KPIs over live NHIs (active or orphaned), each beside the industry figure where one exists. */
export interface PostureKpis {
  generatedAt: string;
  /** Identities the shares are over: status active or orphaned. */
  liveIdentities: number;
  /** Rotation period applied when an identity has none. */
  defaultRotationPeriodDays: number;
  kpis: PostureKpi[];
  credentials: {
    /** Static credentials held by live identities (secrets, keys, found credentials still active). */
    standing: number;
    /** Tasks and brokered credential leases issued in the last 24 hours. */
    justInTime: number;
    /** standing / (standing + justInTime) in %; null when both are zero. */
    standingShare: number | null;
  };
  findings: {
    open: number;
    accepted: number;
    /** Open findings by NHI code (NHI1 … NHI10). */
    openByCode: Record<string, number>;
    /** Open findings by severity (low … critical). */
    openBySeverity: Record<string, number>;
    openByCodeAndSeverity: Array<{ code: string; severity: string; count: number }>;
  };
  offboarding: {
    /** Whether Keyward runs an offboarding workflow itself (it does: docs/lifecycle.md). */
    builtIn: boolean;
    /** Inactive humans who still own live identities. */
    ownersLeft: number;
    /** Live identities owned by those humans. */
    identitiesOfOwnersLeft: number;
    /** The first of them by name (at most 20), to act on. */
    examples: Array<{ id: string; name: string; ownerName: string }>;
  };
  leakedSecrets: { open: number; revoked: number; medianHoursToRevoke: number | null };
}

/** Severity of a finding or an alert, least severe first. */
export type Severity = 'low' | 'medium' | 'high' | 'critical';

export type OverviewTrendName =
  | 'identitiesCreated'
  | 'findingsOpened'
  | 'findingsResolved'
  | 'alertsRaised'
  | 'credentialsIssued';

/** `GET /v1/overview`: live counts, open findings by OWASP NHI code × severity, open alerts, per-day trends. */
export interface Overview {
  generatedAt: string;
  live: {
    identities: number;
    activeTasks: number;
    activeLeases: number;
    liveAccessTokens: number | null;
    pendingApprovals: number;
    openAlerts: number;
    openFindings: number;
  };
  findingsByCode: Array<{ code: string } & Record<Severity, number> & { total: number }>;
  alertsBySeverity: Array<{ severity: Severity; open: number }>;
  /** One point per UTC day of the window, oldest first, zeros included. */
  trends: {
    days: number;
    series: Array<{ name: OverviewTrendName; points: Array<{ t: string; v: number }> }>;
  };
}

/** `GET /v1/findings/counts`: open findings per asked identity and the worst severity among them. */
export interface FindingCounts {
  counts: Record<string, { open: number; worst: Severity | null }>;
}
