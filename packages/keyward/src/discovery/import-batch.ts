/**
 * The contract between the importers (pure parsers of what teams already have: AWS IAM, Kubernetes,
 * GitHub, CSV/JSON) and the import service that applies their output to the inventory.
 *
 * A parser turns files into one ImportBatch and never touches the store. Every record carries an
 * `externalId` that is stable across exports of the same source (an ARN, a Kubernetes
 * `namespace/name`, a GitHub numeric id), so re-importing updates the record it made before instead
 * of adding a new one. External ids of identities, resources and credentials share one namespace
 * per (scope, feed): a credential never reuses its identity's id (GitHub uses `<identity>#credential`).
 */
import type { CredentialMeta, EdgeKind, IdentityKind, Sensitivity } from '@keyward/sdk';

/** One input file as the importer sees it: its path (as the user named it) and its text. */
export interface ImportFile {
  path: string;
  text: string;
}

export interface ImportOptions {
  /**
   * Overrides the scope the parser derives (AWS: the account id; Kubernetes: `--cluster`, default
   * `default`; GitHub: the organisation login; generic: `--source`, required).
   */
  scope?: string | undefined;
  /** Environment for identities whose source does not say (default: the parser's guess, else `unknown`). */
  environment?: string | undefined;
  /** Generic importer only: input column/field → Keyward field (`--map "Service Name=name"`). */
  mapping?: Record<string, string> | undefined;
}

/** A file the parser could not read in whole or in part. The rest of the import proceeds. */
export interface ImportProblem {
  file: string;
  /** 1-based line of the offending text, when known. */
  line?: number | undefined;
  /** JSON-pointer-like path inside the document (`/Policies/3/PolicyVersionList/0`), when known. */
  path?: string | undefined;
  reason: string;
  /** `error`: the record was skipped; `warning`: it was imported with a caveat. */
  severity: 'error' | 'warning';
}

/** Where in the input a record was found: `file` and optionally a path or line inside it. */
export interface FoundIn {
  file: string;
  path?: string | undefined;
  line?: number | undefined;
}

export interface DiscoveredIdentity {
  /** Stable id in the source (ARN, `namespace/name`, numeric id as text). Unique within the batch. */
  externalId: string;
  /** Proposed Keyward name, unique within the scope, e.g. `aws:123456789012:role/ci-deployer`. */
  name: string;
  kind: IdentityKind;
  /** From tags/labels/annotations when the source says, else ImportOptions.environment, else `unknown`. */
  environment?: string | undefined;
  purpose?: string | undefined;
  /** An owner's email from a tag/annotation/column; bound to the human with that email if known. */
  ownerEmail?: string | undefined;
  businessSystem?: string | undefined;
  reviewDate?: string | undefined;
  credential?: CredentialMeta | undefined;
  /** Source labels/tags (keys prefixed by the parser when they could clash, e.g. `aws.tag.team`). */
  labels?: Record<string, string> | undefined;
  /** When the source says it was created (IAM CreateDate, k8s creationTimestamp …). */
  firstSeen?: string | undefined;
  /** When the source last saw it used. */
  lastSeen?: string | undefined;
  /** Present when the identity looks like an AI agent: each signal is a human-readable reason. */
  agentSignals?: string[] | undefined;
  foundIn: FoundIn;
  /** Anything else worth keeping as provenance (trust policy, permissions boundary …). */
  details?: Record<string, unknown> | undefined;
}

export interface DiscoveredResource {
  externalId: string;
  /** Proposed Keyward name, unique within the scope, e.g. `aws:s3:::invoices/*`. */
  name: string;
  /** database, bucket, secret_store, repository, api, queue, cluster, group, role, account, service … */
  kind: string;
  sensitivity: Sensitivity;
  environment?: string | undefined;
  labels?: Record<string, string> | undefined;
  foundIn: FoundIn;
  details?: Record<string, unknown> | undefined;
}

/**
 * An edge between two records, named by their external ids: of this batch, of a record imported
 * earlier into the same scope, or of another scope as `<scope>|<externalId>` (a Kubernetes service
 * account's `eks.amazonaws.com/role-arn` names `aws:123456789012|arn:aws:iam::123456789012:role/x`).
 * An endpoint not known yet is kept and joined when its record is imported. Shapes follow the lineage
 * graph's (graph/edge-service.ts): e.g. can_assume identity|resource → identity, has_permission
 * identity|resource → resource|identity, member_of identity → resource. `owns` edges are not listed
 * here: owners come from DiscoveredIdentity.ownerEmail.
 */
export interface DiscoveredEdge {
  kind: Exclude<EdgeKind, 'owns' | 'sponsors'>;
  from: string;
  to: string;
  /** has_permission only: the actions as the source spells them (`s3:GetObject`, `get`, `*`). */
  actions?: string[] | undefined;
  foundIn: FoundIn;
  /**
   * Provenance: policy name, statement sid, conditions, `wildcard: true` when an action or resource
   * pattern holds a wildcard, `crossAccount: true`, the OIDC subject pattern of a trust …
   */
  details?: Record<string, unknown> | undefined;
}

export type DiscoveredCredentialKind =
  | 'aws_access_key'
  | 'github_app_key'
  | 'github_deploy_key'
  | 'github_token'
  | 'github_actions_secret'
  | 'k8s_service_account_token'
  | 'gcp_service_account_key'
  | 'api_key'
  | 'password'
  | 'other';

/** A secret that belongs to an identity (an access key, a token, a deploy key), never the secret itself. */
export interface DiscoveredCredential {
  /** Stable id in the source (AKIA… key id, GitHub credential id, k8s Secret `namespace/name`). */
  externalId: string;
  /** externalId of the identity it belongs to (in this batch or imported earlier into the scope). */
  identity: string;
  /**
   * The Keyward name of that identity, when the source knows the identity only by name (an AWS
   * `list-access-keys` export names the user, not the path in its ARN): used when `identity` is
   * not known in the scope.
   */
  identityName?: string | undefined;
  kind: DiscoveredCredentialKind;
  status: 'active' | 'inactive' | 'revoked';
  createdAt?: string | undefined;
  lastRotatedAt?: string | undefined;
  lastUsedAt?: string | undefined;
  expiresAt?: string | undefined;
  /** A non-secret hint that a found secret can be matched on: GitHub `token_last_eight`, a key id … */
  hint?: string | undefined;
  /** SHA-256 (hex) of the secret when the source reveals a hash of it (never of a guess). */
  secretSha256?: string | undefined;
  foundIn: FoundIn;
  details?: Record<string, unknown> | undefined;
}

export type ImportSource = 'aws-iam' | 'kubernetes' | 'github' | 'generic';

export interface ImportBatch {
  source: ImportSource;
  /** The estate the batch describes: `aws:123456789012`, `k8s:prod-eu`, `github:acme`, `csv:hr-export`. */
  scope: string;
  /**
   * Which part of the source the batch covers (`authorization-details`, `credential-report`,
   * `access-keys`, `manifests`, `org`, `records`). A record the scope's feed held before and this
   * batch lacks is marked missing from the source, never deleted, unless `partial` is set.
   */
  feed: string;
  /** The batch is a subset of its feed (one namespace, one user's keys): nothing is marked missing. */
  partial: boolean;
  identities: DiscoveredIdentity[];
  resources: DiscoveredResource[];
  edges: DiscoveredEdge[];
  credentials: DiscoveredCredential[];
  problems: ImportProblem[];
  /** Documents read, per file type, for the summary (`{ "Role": 12, "ConfigMap (ignored)": 3 }`). */
  counts: Record<string, number>;
}

/** A parser: files in, one batch out. Never throws on bad input (that goes to `problems`). */
export type ImportParser = (files: readonly ImportFile[], options: ImportOptions) => ImportBatch;

export function emptyBatch(source: ImportSource, scope: string, feed: string, partial = false): ImportBatch {
  return {
    source,
    scope,
    feed,
    partial,
    identities: [],
    resources: [],
    edges: [],
    credentials: [],
    problems: [],
    counts: {},
  };
}
