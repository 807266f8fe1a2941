/**
 * The secret scanner's contract: what a detection rule is, what a scan finds, and the options of a
 * scan over a directory tree or a git repository's whole history. A finding never carries the
 * secret: only a redacted preview, a fingerprint (SHA-256 of the secret) and, where the secret
 * embeds one, a non-secret identifier the inventory can be matched on (an AWS key id, a GCP key id,
 * a service-account email, the last eight characters of a token).
 */

export type ScanSeverity = 'low' | 'medium' | 'high' | 'critical';

/** One detection rule. Built-in rules and user rules (a JSON/YAML file, `--rules`) share this shape. */
export interface SecretRule {
  /** Stable id, kebab-case: `aws-access-key-id`, `github-pat`, `private-key` … */
  id: string;
  description: string;
  /** Provider or family: aws, github, gitlab, slack, stripe, google, azure, npm, openai, anthropic … */
  provider: string;
  severity: ScanSeverity;
  /** Cheap literal(s) of which at least one must occur (case-insensitively) before the regex runs. */
  keywords: string[];
  /** The detector; the secret is the named group `secret` when present, else the whole match. */
  pattern: RegExp;
  /** Minimum Shannon entropy (bits per character) of the secret, when set. */
  minEntropy?: number | undefined;
  /** Matches whose secret (or whole line) matches one of these are not findings (example keys …). */
  allow?: RegExp[] | undefined;
}

/** Where a secret was seen. For history scans `commit`, `author`, `date` are those of the commit that added it. */
export interface FindingLocation {
  path: string;
  line: number;
  column: number;
  commit?: string | undefined;
  author?: string | undefined;
  /** ISO-8601. */
  date?: string | undefined;
  /** True when the file no longer exists at HEAD (found only in history). */
  historyOnly?: boolean | undefined;
}

export interface SecretFinding {
  ruleId: string;
  provider: string;
  severity: ScanSeverity;
  description: string;
  /** `AKIA…WXYZ`-style preview: never more than 4 leading and 4 trailing characters of the secret. */
  redacted: string;
  /** `sha256:<hex>` of the secret: the same secret in many places has one fingerprint. */
  fingerprint: string;
  /**
   * Non-secret identifiers to link the secret to the inventory: `awsAccessKeyId`,
   * `gcpPrivateKeyId`, `gcpClientEmail`, `k8sServiceAccount` (`namespace/name`), `jwtIssuer`,
   * `jwtSubject`, `lastEight`, `keywardTokenPrefix` …
   */
  identifiers: Record<string, string>;
  location: FindingLocation;
}

export interface ScanProblem {
  path: string;
  reason: string;
}

export interface ScanStats {
  files: number;
  bytes: number;
  /** Files not read: binary, too large, ignored by .gitignore, unreadable … (reason → count). */
  skipped: Record<string, number>;
  commits?: number | undefined;
  blobs?: number | undefined;
  durationMs: number;
}

export interface ScanResult {
  findings: SecretFinding[];
  problems: ScanProblem[];
  stats: ScanStats;
}

export interface ScanOptions {
  /** Scan every commit of the repository (all refs), including files deleted since. Default false. */
  history?: boolean | undefined;
  /** Worker threads (default: cores − 1, at least 1; 0 scans on the calling thread). */
  workers?: number | undefined;
  /** Files larger than this are skipped with a problem (default 10 MiB). */
  maxFileBytes?: number | undefined;
  /** Extra rules, after the built-in ones (same id replaces a built-in rule). */
  rules?: SecretRule[] | undefined;
  /** Fingerprints, rule ids or path globs never reported. */
  allowlist?: { fingerprints?: string[]; rules?: string[]; paths?: string[] } | undefined;
  /** Called as work is done, for progress bars: units are bytes (`tree`) or blobs (`history`). */
  onProgress?: ((done: number, total: number, phase: 'tree' | 'history') => void) | undefined;
}

/**
 * The scanner's entry points (implemented in secret-scanner.ts):
 * - `scanTree(root, options)`: every file under `root` (a file or a directory), .gitignore-aware;
 *   with `options.history` and `root` a git work tree, also every blob of every commit.
 * - `scanGitHistory(repo, options)`: only the history (every blob reachable from any ref, once).
 * Both resolve to a ScanResult; a bad file, a symlink loop or a corrupt object is a problem, never a
 * rejection. They reject only for misuse (root does not exist: KeywardError 'validation_failed').
 */
export type ScanEntry = (root: string, options?: ScanOptions) => Promise<ScanResult>;
