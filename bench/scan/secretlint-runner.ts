/**
 * secretlint as the benchmark's reference scanner, run in-process the fastest fair way:
 * `@secretlint/core`'s `lintSource` per file with the recommended preset built once, the files read
 * by us (the same list and bytes Keyward is given). This is what `@secretlint/node`'s engine and
 * the CLI do underneath, minus globbing, config discovery and formatting, which would only slow it
 * down; secretlint has no parallel mode, so it runs on one thread.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { lintSource } from '@secretlint/core';
import { creator } from '@secretlint/secretlint-rule-preset-recommend';
import type { SecretLintCoreConfig } from '@secretlint/types';
import type { ScoredFinding } from './corpus-labels.js';
import type { ScanFile } from './file-list.js';

const config: SecretLintCoreConfig = {
  rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: creator }],
};

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
