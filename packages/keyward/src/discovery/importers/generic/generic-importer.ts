/**
 * `keyward import csv|json --source <name>`: any inventory a team keeps (a spreadsheet of SaaS keys,
 * a JSON export of a secrets manager) as one batch of the `records` feed, scope as given by
 * `--source`. Columns are matched to Keyward fields by name and alias (column-mapping.ts) or by
 * `--map`. Rows with the same externalId: the later one wins, with a warning.
 */
import type { DiscoveredResource, ImportParser } from '../../import-batch.js';
import { emptyBatch } from '../../import-batch.js';
import { planColumns, resolveMapping, unusedOverrides } from './column-mapping.js';
import { type RowRecord, resourceRef, rowToRecord } from './generic-record.js';
import { readRows } from './generic-rows.js';

const where = (r: RowRecord) =>
  r.identity.foundIn.line ? `line ${r.identity.foundIn.line}` : (r.identity.foundIn.path ?? '');

export const parseGeneric: ImportParser = (files, options) => {
  const scope = options.scope?.trim() ?? '';
  const batch = emptyBatch('generic', scope, 'records');
  if (scope === '') {
    batch.problems.push({
      file: files[0]?.path ?? '',
      severity: 'error',
      reason: 'the generic importer needs a scope (--source)',
    });
    return batch;
  }
  const mapping = resolveMapping(options.mapping);
  batch.problems.push(...mapping.problems);
  const records = new Map<string, RowRecord>();
  for (const file of files) {
    const read = readRows(file);
    batch.problems.push(...read.problems);
    for (const [k, n] of Object.entries(read.counts)) batch.counts[k] = (batch.counts[k] ?? 0) + n;
    const plan = planColumns(read.columns, mapping);
    if (read.rows.length > 0 && plan.unknown.length > 0)
      batch.problems.push({
        file: file.path,
        severity: 'warning',
        reason: `columns not imported (no Keyward field; map them with --map "Column=field"): ${plan.unknown.join(', ')}`,
      });
    if (read.tabular && plan.clashes.length > 0)
      batch.problems.push({
        file: file.path,
        severity: 'warning',
        reason: `columns feeding the same field (a row takes the first that holds a value): ${plan.clashes.join('; ')}`,
      });
    const unused = read.columns.length > 0 ? unusedOverrides(read.columns, mapping) : [];
    if (unused.length > 0)
      batch.problems.push({
        file: file.path,
        severity: 'warning',
        reason: `--map names columns this file does not have: ${unused.join(', ')}`,
      });
    for (const row of read.rows) {
      const record = rowToRecord(
        row,
        { scope, environment: options.environment, targets: plan.targets },
        batch.problems,
      );
      if (!record) continue;
      const before = records.get(record.identity.externalId);
      if (before) {
        batch.problems.push({
          file: row.foundIn.file,
          line: row.foundIn.line,
          path: row.foundIn.path,
          severity: 'warning',
          reason: `${record.identity.externalId} appears again (first at ${before.identity.foundIn.file} ${where(before)}); the later row wins`,
        });
        records.delete(record.identity.externalId);
      }
      records.set(record.identity.externalId, record);
    }
  }
  const resources = new Map<string, DiscoveredResource>();
  for (const r of records.values()) {
    batch.identities.push(r.identity);
    if (r.credential) batch.credentials.push(r.credential);
    batch.edges.push(...r.edges);
    for (const name of r.resources) {
      const externalId = resourceRef(name);
      if (resources.has(externalId)) continue;
      const resource: DiscoveredResource = {
        externalId,
        name,
        kind: 'service',
        sensitivity: 'medium',
        foundIn: r.identity.foundIn,
      };
      resources.set(externalId, resource);
      batch.resources.push(resource);
    }
  }
  return batch;
};
