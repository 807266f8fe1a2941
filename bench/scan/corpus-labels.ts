/**
 * The answer key of a scan corpus and the scoring of a scanner's findings against it.
 *
 * A label is one placement of a true secret (the same secret in two files is two labels). A finding
 * is credited to a label when it is in the same file and
 * - its fingerprint is one of the label's (`sha256:` of the secret; some labels accept a few spans,
 *   e.g. a database URL's password or the whole URL), the nearest such label by line winning; or
 * - the label is matched by location (`match: 'location'`: private keys, GCP service-account JSON,
 *   connection strings and URLs, whose "secret" span is a matter of rule design) and the finding's
 *   line is within the label's lines; with `locationFallback` every label is matched so (used to
 *   score tools whose findings carry no fingerprint of ours, such as secretlint).
 * Several findings credited to one label count once. A finding that is credited to nothing but
 * lies on a labelled secret's lines (another rule, another span of the same secret) is neither a
 * true nor a false positive: it points at a real secret. Every other finding is a false positive.
 */
import { log } from '../bench-output.js';

export interface SecretLabel {
  /** Relative to the corpus root, `/`-separated. */
  path: string;
  line: number;
  endLine: number;
  /** Rule family: aws, github, slack, private-key, database, generic … */
  provider: string;
  /** Finer kind: aws-secret-access-key, github-classic, slack-webhook … */
  kind: string;
  /** `sha256:<hex>` of the secret. */
  fingerprint: string;
  /** Further accepted fingerprints (other reasonable spans of the same secret). */
  altFingerprints: string[];
  match: 'fingerprint' | 'location';
  /** Not present at HEAD: only in a deleted file, a rewritten line or a side branch. */
  historyOnly: boolean;
  /** History labels: the commit that added the secret. */
  commit?: string | undefined;
}

export interface DecoyLabel {
  path: string;
  line: number;
  /** aws-example, placeholder, hash, git-sha, uuid, integrity, public-key, data-uri, env-ref … */
  kind: string;
}

/** The part of a finding scoring needs (a SecretFinding flattened, or another tool's result). */
export interface ScoredFinding {
  path: string;
  line: number;
  fingerprint?: string | undefined;
  ruleId: string;
  provider?: string | undefined;
}

export interface Score {
  labels: number;
  truePositives: number;
  falsePositives: number;
  recall: number;
  precision: number;
  missed: SecretLabel[];
  falseFindings: ScoredFinding[];
  /** Findings on a true secret's lines not credited to it (other span or rule): not counted. */
  offSpan: ScoredFinding[];
  /** For each label index, the findings credited to it. */
  credited: Map<number, ScoredFinding[]>;
}

export interface ScoreOptions {
  locationFallback?: boolean | undefined;
}

export function scoreFindings(
  labels: readonly SecretLabel[],
  findings: readonly ScoredFinding[],
  options: ScoreOptions = {},
): Score {
  const byPath = new Map<string, number[]>();
  labels.forEach((l, i) => {
    const list = byPath.get(l.path) ?? [];
    list.push(i);
    byPath.set(l.path, list);
  });
  const credited = new Map<number, ScoredFinding[]>();
  const falseFindings: ScoredFinding[] = [];
  const offSpan: ScoredFinding[] = [];
  const within = (l: SecretLabel, line: number) => line >= l.line && line <= l.endLine;
  for (const f of findings) {
    const candidates = byPath.get(f.path) ?? [];
    let best = -1;
    if (f.fingerprint) {
      for (const i of candidates) {
        const l = labels[i]!;
        if (l.fingerprint !== f.fingerprint && !l.altFingerprints.includes(f.fingerprint)) continue;
        if (best < 0 || Math.abs(l.line - f.line) < Math.abs(labels[best]!.line - f.line)) best = i;
      }
    }
    if (best < 0) {
      best =
        candidates.find((i) => {
          const l = labels[i]!;
          return (l.match === 'location' || options.locationFallback) && within(l, f.line);
        }) ?? -1;
    }
    if (best >= 0) {
      const list = credited.get(best) ?? [];
      list.push(f);
      credited.set(best, list);
    } else if (candidates.some((i) => within(labels[i]!, f.line))) {
      offSpan.push(f);
    } else {
      falseFindings.push(f);
    }
  }
  const tp = credited.size;
  const fp = falseFindings.length;
  return {
    labels: labels.length,
    truePositives: tp,
    falsePositives: fp,
    recall: labels.length === 0 ? 1 : tp / labels.length,
    precision: tp + fp === 0 ? 1 : tp / (tp + fp),
    missed: labels.filter((_, i) => !credited.has(i)),
    falseFindings,
    offSpan,
    credited,
  };
}

/** Per-provider recall and the misses and false positives, on stderr (for tuning rules). */
export function printScore(tool: string, dataset: string, score: Score, decoys: readonly DecoyLabel[]): void {
  log(
    `[${tool}/${dataset}] recall ${score.truePositives}/${score.labels}, false positives ${score.falsePositives}`,
  );
  const byProvider = new Map<string, { all: number; missed: string[] }>();
  for (const l of score.missed) {
    const e = byProvider.get(l.provider) ?? { all: 0, missed: [] };
    e.missed.push(`${l.kind} ${l.path}:${l.line}${l.historyOnly ? ' (history)' : ''}`);
    byProvider.set(l.provider, e);
  }
  for (const [provider, e] of byProvider) log(`  missed ${provider}: ${e.missed.join(', ')}`);
  const decoyAt = new Map(decoys.map((d) => [`${d.path}:${d.line}`, d.kind]));
  for (const f of score.falseFindings.slice(0, 60)) {
    const kind = decoyAt.get(`${f.path}:${f.line}`);
    log(`  false positive ${f.ruleId} ${f.path}:${f.line}${kind ? ` (decoy: ${kind})` : ''}`);
  }
  if (score.falseFindings.length > 60) log(`  … ${score.falseFindings.length - 60} more false positives`);
}
