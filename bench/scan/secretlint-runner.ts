/**
 * secretlint as the benchmark's reference scanner, run in-process the fastest fair way:
 * `@secretlint/core`'s `lintSource` per file with the recommended preset built once, the files read
 * by us (the same list and bytes Keyward is given). This is what `@secretlint/node`'s engine and
 * the CLI do underneath, minus globbing, config discovery and formatting, which would only slow it
 * down; secretlint has no parallel mode, so it runs on one thread.
 *
 * secretlint 11's always-on profiler (@secretlint/profiler) keeps every performance mark in an array
 * it searches linearly at each end mark, and the marks pile up in the global performance timeline:
 * quadratic in the number of files (20 MiB in 2,000 files ran at 0.6 MB/s, 22,000 files for over
 * ten minutes). Its output is only used by `secretlint --profile`, so its `mark` is made a no-op
 * here: that only makes secretlint faster than as shipped, never slower.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { lintSource } from '@secretlint/core';
import { secretLintProfiler } from '@secretlint/profiler';
import { creator } from '@secretlint/secretlint-rule-preset-recommend';
import type { SecretLintCoreConfig } from '@secretlint/types';
import type { ScoredFinding } from './corpus-labels.js';
import type { ScanFile } from './file-list.js';

const config: SecretLintCoreConfig = {
  rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: creator }],
};

secretLintProfiler.mark = () => {};

export async function runSecretlint(root: string, files: readonly ScanFile[]): Promise<ScoredFinding[]> {
  const findings: ScoredFinding[] = [];
  for (const file of files) {
    const content = await readFile(join(root, file.path), 'utf8');
    const result = await lintSource({
      source: { content, filePath: join(root, file.path), contentType: 'text' },
      options: { config, maskSecrets: false },
    });
    for (const m of result.messages) {
      const span = content.slice(m.range[0], m.range[1]);
      findings.push({
        path: file.path,
        line: m.loc.start.line,
        fingerprint: `sha256:${createHash('sha256').update(span).digest('hex')}`,
        ruleId: m.ruleId,
      });
    }
  }
  return findings;
}
