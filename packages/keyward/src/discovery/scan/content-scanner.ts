/**
 * Scanning one file's bytes for secrets: one pass of the keyword index (keyword-index.ts) decides
 * which rules can match at all; a file with no keyword is never decoded. The text is decoded once,
 * as latin1 (one character per byte: fast, and offsets from the byte pass stay valid; columns
 * therefore count bytes). Anchored rules are tried only where their keywords occur, the others
 * run over the whole text. Candidates go through the global
 * decoy filters, the rule's own check, inline ignores and the allowlist; overlapping candidates
 * keep the higher-priority rule (precise over generic); line and column are computed only for
 * what survives. The secret itself never leaves this module: only its redaction and fingerprint.
 */
import { isLowEntropy, isRepetitive, looksFake } from './decoys.js';
import { createKeywordIndex } from './keyword-index.js';
import { fingerprintOf, redact } from './redaction.js';
import { type BuiltinRule, type CheckResult, lineAt, shannonEntropy } from './rule-kit.js';
import type { ScanSeverity } from './scan-types.js';

/** A finding before it is given its file's path (and, for history, its commit). */
export interface RawFinding {
  ruleId: string;
  provider: string;
  severity: ScanSeverity;
  description: string;
  redacted: string;
  fingerprint: string;
  identifiers: Record<string, string>;
  line: number;
  column: number;
}

export interface ContentAllowlist {
  fingerprints?: readonly string[] | undefined;
  rules?: readonly string[] | undefined;
}

export interface ContentScanner {
  /** Scans a file's raw bytes. */
  scan(bytes: Uint8Array, path: string): RawFinding[];
  /** Scans a string (encoded as UTF-8 first, so results match scanning the file). */
  scanText(text: string, path: string): RawFinding[];
}

interface Candidate {
  start: number;
  end: number;
  priority: number;
  rule: BuiltinRule;
  secret: string;
  result: CheckResult;
}

const INLINE_ALLOW = /keyward:allow|gitleaks:allow|secretlint-disable-line/;
const ALLOW_NEXT = /keyward:allow-next-line|secretlint-disable-next-line/;

function ignoredInline(text: string, offset: number): boolean {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const end = text.indexOf('\n', offset);
  const line = text.slice(start, end < 0 ? text.length : end);
  if (INLINE_ALLOW.test(line) && !ALLOW_NEXT.test(line)) return true;
  if (start === 0) return false;
  return ALLOW_NEXT.test(lineAt(text, start - 1));
}

/** Line (1-based) and column (1-based, UTF-16 units) of ascending offsets, counted incrementally. */
function lineCounter(text: string) {
  let line = 1;
  let lineStart = 0;
  let at = 0;
  return (offset: number): { line: number; column: number } => {
    if (offset < at) {
      line = 1;
      lineStart = 0;
      at = 0;
    }
    for (let i = text.indexOf('\n', at); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
      line++;
      lineStart = i + 1;
    }
    at = offset;
    return { line, column: offset - lineStart + 1 };
  };
}

/** Keeps, of overlapping candidates, the higher priority (then the longer span). */
function resolveOverlaps(candidates: Candidate[]): Candidate[] {
  if (candidates.length < 2) return candidates;
  const ranked = [...candidates].sort(
    (a, b) => b.priority - a.priority || b.end - b.start - (a.end - a.start),
  );
  const kept: Candidate[] = [];
  for (const c of ranked) if (!kept.some((k) => c.start < k.end && k.start < c.end)) kept.push(c);
  return kept.sort((a, b) => a.start - b.start);
}

export function createContentScanner(
  rules: readonly BuiltinRule[],
  allow: ContentAllowlist = {},
): ContentScanner {
  const allowedRules = new Set(allow.rules ?? []);
  const allowedFingerprints = new Set(allow.fingerprints ?? []);
  const active = rules.filter((r) => !allowedRules.has(r.id));
  const patterns = active.map((r) => {
    const flags = new Set(r.pattern.flags.replace(/[gy]/g, ''));
    flags.add(r.anchored ? 'y' : 'g');
    flags.add('d');
    return new RegExp(r.pattern.source, [...flags].join(''));
  });
  const keywordRules: number[][] = [];
  const keywordIds = new Map<string, number>();
  /** Rules with a keyword shorter than the index takes run on every file. */
  const always: number[] = [];
  active.forEach((r, i) => {
    for (const k of r.keywords) {
      const key = k.toLowerCase();
      if (Buffer.byteLength(key) < 2) {
        always.push(i);
        continue;
      }
      let id = keywordIds.get(key);
      if (id === undefined) {
        id = keywordRules.length;
        keywordIds.set(key, id);
        keywordRules.push([]);
      }
      keywordRules[id]!.push(i);
    }
  });
  const index = createKeywordIndex([...keywordIds.keys()]);
  const anchored = active.map((r) => r.anchored === true && !always.includes(active.indexOf(r)));

  /** Per rule: undefined (not triggered), [] (triggered, whole text) or the offsets to try. */
  function triggeredRules(bytes: Uint8Array): Array<number[] | undefined> {
    const out: Array<number[] | undefined> = new Array(active.length);
    for (const i of always) out[i] = [];
    index.find(bytes, (keyword, offset) => {
      for (const i of keywordRules[keyword]!) {
        let offsets = out[i];
        if (!offsets) {
          offsets = [];
          out[i] = offsets;
        }
        if (anchored[i] && offsets[offsets.length - 1] !== offset) offsets.push(offset);
      }
    });
    return out;
  }

  let vetoed: Array<{ start: number; end: number }> = [];

  /** Whether the match became a candidate. */
  function consider(i: number, m: RegExpExecArray, text: string, path: string, out: Candidate[]): boolean {
    const r = active[i]!;
    const group = m.indices?.groups?.['secret'];
    const secret = group ? m.groups!['secret']! : m[0];
    const start = group ? group[0] : m.index;
    if (!secret || looksFake(secret) || isRepetitive(secret) || isLowEntropy(secret)) return false;
    if (r.minEntropy !== undefined && shannonEntropy(secret) < r.minEntropy) return false;
    if (r.allow?.some((a) => a.test(secret) || a.test(lineAt(text, start)))) return false;
    const result = r.check
      ? r.check(secret, { text, path, matchIndex: m.index, secretIndex: start, match: m })
      : {};
    if (result === false) {
      // A provider format that fails its own check (a bad checksum) is no generic secret either.
      if (!r.generic) vetoed.push({ start, end: start + secret.length });
      return false;
    }
    if (allowedRules.has(result.ruleId ?? r.id)) return false;
    out.push({ start, end: start + secret.length, priority: r.priority ?? 1, rule: r, secret, result });
    return true;
  }

  function candidatesOf(i: number, offsets: number[], text: string, path: string, out: Candidate[]): void {
    const re = patterns[i]!;
    if (anchored[i]) {
      let end = -1;
      for (const offset of offsets) {
        if (offset < end) continue;
        re.lastIndex = offset;
        const m = re.exec(text);
        if (m === null || m[0].length === 0) continue;
        // A rejected match (`jwtSecret: process.env.JWT_SECRET || "…"`) must not hide the keywords
        // inside it: the next one may start the real secret.
        if (consider(i, m, text, path, out)) end = m.index + m[0].length;
      }
      return;
    }
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      if (m[0].length === 0) re.lastIndex++;
      else consider(i, m, text, path, out);
    }
  }

  function scan(bytes: Uint8Array, path: string): RawFinding[] {
    const triggered = triggeredRules(bytes);
    if (!triggered.some((t) => t !== undefined)) return [];
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
    let candidates: Candidate[] = [];
    vetoed = [];
    triggered.forEach((offsets, i) => {
      if (offsets) candidatesOf(i, offsets, text, path, candidates);
    });
    if (vetoed.length > 0)
      candidates = candidates.filter(
        (c) => !c.rule.generic || !vetoed.some((v) => c.start < v.end && v.start < c.end),
      );
    if (candidates.length === 0) return [];
    const position = lineCounter(text);
    const findings: RawFinding[] = [];
    for (const c of resolveOverlaps(candidates)) {
      if (ignoredInline(text, c.start)) continue;
      // Back to the file's own bytes, so a non-ASCII secret fingerprints as its UTF-8 text does.
      const secret = Buffer.from(c.result.secret ?? c.secret, 'latin1').toString('utf8');
      const fingerprint = fingerprintOf(secret);
      if (allowedFingerprints.has(fingerprint)) continue;
      findings.push({
        ruleId: c.result.ruleId ?? c.rule.id,
        provider: c.result.provider ?? c.rule.provider,
        severity: c.result.severity ?? c.rule.severity,
        description: c.result.description ?? c.rule.description,
        redacted: redact(c.result.preview ?? secret),
        fingerprint,
        identifiers: decodeIdentifiers(c.result.identifiers),
        ...position(c.start),
      });
    }
    return findings;
  }

  return { scan, scanText: (text, path) => scan(Buffer.from(text, 'utf8'), path) };
}

function decodeIdentifiers(ids: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(ids ?? {})) out[k] = Buffer.from(v, 'latin1').toString('utf8');
  return out;
}
