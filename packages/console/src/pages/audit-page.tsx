/**
 * AuditPage (/audit): the tamper-evident log. Chain verification on load and on demand, the latest
 * signed checkpoint, and either the live tail (default when no filter is set) or a server-side search
 * with cursor pages. Filters, page and live mode live in the URL.
 */
import { useSearchParams } from 'react-router';
import { withQuery } from '../api/api-client.js';
import { useResource } from '../api/use-resource.js';
import { AuditCheckpoints } from '../audit/audit-checkpoints.js';
import { AuditFilters, hasFilter, useAuditFilters, utcIso } from '../audit/audit-filters.js';
import { AuditTable } from '../audit/audit-table.js';
import type { AuditEventPage } from '../audit/audit-types.js';
import { AuditVerifyBanner } from '../audit/audit-verify-banner.js';
import { LIVE_CAP, matches, useAuditLive } from '../audit/use-audit-live.js';
import { useAuditVerify } from '../audit/use-audit-verify.js';
import { PageHeader } from '../ui/layout.js';
import { Pager, useFilter, usePager } from '../ui/pager.js';
import { Empty, Loaded } from '../ui/states.js';
import '../audit/audit.css';

const PAGE_SIZE = 50;

export function AuditPage() {
  const verify = useAuditVerify();
  const filters = useAuditFilters();
  const [params, setParams] = useSearchParams();
  const filtered = hasFilter(filters.values);
  // Live unless the URL says otherwise; a filtered search is a question about the past, so off then.
  const liveParam = params.get('live');
  const live = liveParam === null ? !filtered : liveParam === '1';
  function setLive(on: boolean): void {
    setParams((p) => {
      const n = new URLSearchParams(p);
      n.set('live', on ? '1' : '0');
      n.delete('cursor');
      n.delete('back');
      return n;
    });
  }
  return (
    <>
      <PageHeader title="Audit">
        <LiveToggle live={live} onChange={setLive} />
      </PageHeader>
      <AuditVerifyBanner verify={verify} />
      <div className="audit-layout">
        <div className="audit-main">
          <AuditFilters filters={filters} />
          {live ? <LiveView /> : <SearchView />}
        </div>
        <aside className="audit-side">
          <AuditCheckpoints />
        </aside>
      </div>
    </>
  );
}

function LiveToggle({ live, onChange }: { live: boolean; onChange: (on: boolean) => void }) {
  return (
    <label className="audit-live-toggle">
      <input type="checkbox" checked={live} onChange={(e) => onChange(e.target.checked)} /> Live
    </label>
  );
}

function LiveView() {
  const { values } = useAuditFilters();
  const { events, state } = useAuditLive(true);
  const shown = events.filter((e) => matches(e, values));
  const label = state === 'live' ? 'live' : state === 'closed' ? 'stopped' : state;
  return (
    <section aria-label="Live audit events">
      <p className="audit-live-status" data-testid="audit-live" data-state={state}>
        <span className={state === 'live' ? 'live-dot live' : 'live-dot'} aria-hidden="true" />
        {label} · newest first · {shown.length} shown (the last {LIVE_CAP} kept)
        {values.from || values.to ? ' · time filters apply to search only' : ''}
      </p>
      {shown.length === 0 ? (
        <Empty>{state === 'live' ? 'Waiting for events…' : 'Connecting to the audit stream…'}</Empty>
      ) : (
        <AuditTable events={shown} caption="Live events, newest first" />
      )}
    </section>
  );
}

function SearchView() {
  const { values } = useAuditFilters();
  const pager = usePager();
  // Newest first unless the link asks for the log's order (e.g. "events from seq N" after a break).
  const [order, setOrder] = useFilter('order');
  const oldestFirst = order === 'asc';
  const path = withQuery('/v1/audit/events', {
    order: oldestFirst ? 'asc' : 'desc',
    type: values.type,
    identityId: values.identityId,
    taskId: values.taskId,
    outcome: values.outcome,
    from: utcIso(values.from),
    to: utcIso(values.to),
    cursor: pager.cursor,
    limit: PAGE_SIZE,
  });
  const res = useResource<AuditEventPage>(path);
  return (
    <section aria-label="Audit search results">
      <Loaded resource={res} what="Searching the audit log">
        {(page) =>
          page.items.length === 0 ? (
            <Empty>No events match these filters.</Empty>
          ) : (
            <>
              <AuditTable
                events={page.items}
                caption={
                  oldestFirst
                    ? 'Matching events in seq order (oldest first)'
                    : 'Matching events, newest first'
                }
              />
              <button
                type="button"
                className="btn btn-small"
                onClick={() => setOrder(oldestFirst ? '' : 'asc')}
              >
                {oldestFirst ? 'Show newest first' : 'Show oldest first'}
              </button>
              <Pager nextCursor={page.nextCursor} pager={pager} count={page.items.length} />
            </>
          )
        }
      </Loaded>
    </section>
  );
}
