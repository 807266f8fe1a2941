/** Tables and detail views of API records (identities, humans, systems, resources, edges, tokens, summary). */
import type { ApiToken, Edge, EstateSummary, Human, Identity, Resource, System } from '@keyward/sdk';
import {
  day,
  labelsText,
  type OutputStyle,
  paint,
  renderDetail,
  renderTable,
  sensitivity,
  status,
  time,
} from './output-format.js';

export function identityTable(items: Identity[], style: OutputStyle): string {
  return renderTable(
    ['ID', 'NAME', 'KIND', 'ENV', 'STATUS', 'OWNER', 'EXPIRES/REVIEW'],
    items.map((i) => [
      i.id,
      i.name,
      i.kind,
      i.environment,
      status(i.status, style),
      i.ownerId ?? '-',
      day(i.credential.expiresAt ?? i.reviewDate) || '-',
    ]),
    style,
  );
}

export function identityDetail(i: Identity, style: OutputStyle): string {
  const c = i.credential;
  return renderDetail(
    [
      ['id', i.id],
      ['name', i.name],
      ['kind', i.kind],
      ['status', status(i.status, style)],
      ['environment', i.environment],
      ['owner', i.ownerId],
      ['purpose', i.purpose],
      ['business system', i.businessSystem],
      ['origin', i.originExternalId ? `${i.origin} (${i.originExternalId})` : i.origin],
      ['labels', labelsText(i.labels)],
      ['secret locations', i.secretLocations.map((s) => `${s.store}:${s.ref}`).join(', ')],
      ['credential created', day(c.createdAt)],
      ['last rotated', day(c.lastRotatedAt)],
      ['rotation period', c.rotationPeriodDays === undefined ? null : `${c.rotationPeriodDays} days`],
      ['expires', day(c.expiresAt)],
      ['last used', day(c.lastUsedAt)],
      ['review date', day(i.reviewDate)],
      ['first seen', time(i.firstSeen)],
      ['last seen', time(i.lastSeen)],
      ['updated', time(i.updatedAt)],
      ['version', i.version],
    ],
    style,
  );
}

export function humanTable(items: Human[], style: OutputStyle): string {
  return renderTable(
    ['ID', 'EMAIL', 'NAME', 'TITLE', 'ACTIVE'],
    items.map((h) => [
      h.id,
      h.email,
      h.name,
      h.title ?? '-',
      h.active ? 'yes' : paint('no (left)', 'red', style),
    ]),
    style,
  );
}

export function humanDetail(h: Human, style: OutputStyle): string {
  return renderDetail(
    [
      ['id', h.id],
      ['email', h.email],
      ['name', h.name],
      ['title', h.title],
      ['active', h.active ? 'yes' : paint('no', 'red', style)],
      ['created', time(h.createdAt)],
      ['updated', time(h.updatedAt)],
      ['version', h.version],
    ],
    style,
  );
}

export function systemTable(items: System[], style: OutputStyle): string {
  return renderTable(
    ['ID', 'NAME', 'SENSITIVITY', 'OWNER', 'DESCRIPTION'],
    items.map((s) => [
      s.id,
      s.name,
      sensitivity(s.sensitivity, style),
      s.ownerId ?? '-',
      s.description ?? '-',
    ]),
    style,
  );
}

export function systemDetail(s: System, style: OutputStyle): string {
  return renderDetail(
    [
      ['id', s.id],
      ['name', s.name],
      ['sensitivity', sensitivity(s.sensitivity, style)],
      ['owner', s.ownerId],
      ['description', s.description],
      ['updated', time(s.updatedAt)],
      ['version', s.version],
    ],
    style,
  );
}

export function resourceTable(items: Resource[], style: OutputStyle): string {
  return renderTable(
    ['ID', 'NAME', 'KIND', 'ENV', 'SENSITIVITY', 'SYSTEM'],
    items.map((r) => [
      r.id,
      r.name,
      r.kind,
      r.environment ?? '-',
      sensitivity(r.sensitivity, style),
      r.systemId ?? '-',
    ]),
    style,
  );
}

export function resourceDetail(r: Resource, style: OutputStyle): string {
  return renderDetail(
    [
      ['id', r.id],
      ['name', r.name],
      ['kind', r.kind],
      ['environment', r.environment],
      ['sensitivity', sensitivity(r.sensitivity, style)],
      ['system', r.systemId],
      ['labels', labelsText(r.labels)],
      ['updated', time(r.updatedAt)],
      ['version', r.version],
    ],
    style,
  );
}

export function edgeTable(items: Edge[], style: OutputStyle): string {
  return renderTable(
    ['ID', 'KIND', 'FROM', 'TO', 'ACTIONS'],
    items.map((e) => [e.id, e.kind, e.fromId, e.toId, e.actions.join(',') || '-']),
    style,
  );
}

export function tokenTable(items: ApiToken[], style: OutputStyle): string {
  return renderTable(
    ['ID', 'NAME', 'ROLE', 'PREFIX', 'CREATED', 'EXPIRES', 'LAST USED', 'REVOKED'],
    items.map((t) => [
      t.id,
      t.name,
      t.role,
      t.prefix,
      day(t.createdAt),
      day(t.expiresAt) || '-',
      day(t.lastUsedAt) || '-',
      t.revokedAt ? paint(day(t.revokedAt), 'red', style) : '-',
    ]),
    style,
  );
}

const counts = (record: Record<string, number>) =>
  Object.entries(record)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ') || '-';

export function summaryView(s: EstateSummary, style: OutputStyle): string {
  const h = s.hygiene;
  const warn = (n: number) => (n > 0 ? paint(String(n), 'red', style) : String(n));
  const estate = renderDetail(
    [
      ['identities', s.identities.total],
      ['  by kind', counts(s.identities.byKind)],
      ['  by status', counts(s.identities.byStatus)],
      ['  by environment', counts(s.identities.byEnvironment)],
      ['humans', `${s.humans.total} (${s.humans.inactive} inactive)`],
      ['systems', s.systems],
      ['resources', s.resources],
      ['edges', s.edges],
    ],
    style,
  );
  const hygiene = renderDetail(
    [
      ['without owner', warn(h.withoutOwner)],
      ['owner has left', warn(h.ownerLeft)],
      ['rotation overdue', warn(h.rotationOverdue)],
      ['expired', warn(h.expired)],
      ['prod without end', warn(h.noEnd)],
      ['stale (>90 days)', warn(h.stale)],
    ],
    style,
  );
  const top = renderTable(
    ['IDENTITY', 'ENV', 'REACHABLE', 'CRITICAL'],
    s.topBlastRadius.map((t) => [
      t.identity.name,
      t.identity.environment ?? '-',
      t.reachable,
      t.critical > 0 ? paint(String(t.critical), 'red', style) : 0,
    ]),
    style,
  );
  const d = s.discovery;
  const discovery =
    d && (d.sources.length > 0 || d.leakedSecrets.open + d.leakedSecrets.resolved > 0)
      ? `\nDiscovery\n${renderDetail(
          [
            ['sources', d.sources.map((x) => x.scope).join(', ') || '-'],
            ['unmanaged identities', warn(d.unmanaged)],
            ['  AI agents not approved', warn(d.unmanagedAgents)],
            ['gone from source', d.missingFromSource],
            ['found credentials', counts(d.credentials)],
            ['open findings', counts(d.openFindingsByCode)],
            ['leaked secrets open', warn(d.leakedSecrets.open)],
            ['  revoked after leak', d.leakedSecrets.revoked],
            [
              '  median time to revoke',
              d.leakedSecrets.medianHoursToRevoke === null
                ? '-'
                : `${d.leakedSecrets.medianHoursToRevoke.toFixed(1)} h`,
            ],
          ],
          style,
        )}`
      : '';
  return `Estate\n${estate}\nHygiene\n${hygiene}\nTop blast radius\n${top}${discovery}`;
}
