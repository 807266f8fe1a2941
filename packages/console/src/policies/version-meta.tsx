/** Who made a policy version, when, why, and what kind (applied, rolled back, built-in). */
import { ago, when } from '../ui/format.js';
import type { PolicyVersionMeta } from './policy-types.js';

export function versionLabel(v: { version: number; kind: string }): string {
  return v.version === 0 ? 'v0 (built-in)' : `v${v.version}`;
}

export function VersionMeta({ meta }: { meta: PolicyVersionMeta }) {
  return (
    <dl className="facts">
      <dt>Version</dt>
      <dd>
        {versionLabel(meta)} · {meta.kind}
        {meta.restoredFrom !== null ? ` (restores v${meta.restoredFrom})` : ''}
      </dd>
      <dt>By</dt>
      <dd className="mono">{meta.createdBy ?? '—'}</dd>
      <dt>When</dt>
      <dd>{meta.createdAt ? `${when(meta.createdAt)} UTC (${ago(meta.createdAt)})` : '—'}</dd>
      <dt>Reason</dt>
      <dd>{meta.reason}</dd>
      <dt>Hash</dt>
      <dd className="mono small">{meta.hash}</dd>
    </dl>
  );
}
