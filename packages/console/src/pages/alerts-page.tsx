/**
 * AlertsPage (`/alerts`, `/alerts/:id`): behavioural alerts (an identity acting outside its
 * baseline), filtered and paged server-side (state in the URL), with the selected alert's detail
 * beside the list (below it on narrow screens) where it can be acknowledged or resolved.
 */
import type { Page } from '@keyward/sdk';
import { withQuery } from '../api/api-client.js';
import { useResource } from '../api/use-resource.js';
import { AlertDetail } from '../triage/alert-detail.js';
import { AlertFilters } from '../triage/alert-filters.js';
import { AlertTable } from '../triage/alert-table.js';
import { useStatusFilter } from '../triage/filter-controls.js';
import { SplitView, useDetailRoute } from '../triage/split-view.js';
import type { Alert } from '../triage/triage-types.js';
import { PageHeader } from '../ui/layout.js';
import { Pager, useFilter, usePager } from '../ui/pager.js';
import { Empty, Loaded } from '../ui/states.js';

const PAGE_SIZE = 50;

export function AlertsPage() {
  const route = useDetailRoute('/alerts');
  const status = useStatusFilter('open');
  const [severity] = useFilter('severity');
  const [kind] = useFilter('kind');
  const [identityId] = useFilter('identity');
  const pager = usePager();
  const list = useResource<Page<Alert>>(
    withQuery('/v1/alerts', {
      status: status.apiValue,
      severity,
      kind,
      identityId,
      cursor: pager.cursor,
      limit: PAGE_SIZE,
    }),
  );
  const filtered = Boolean(severity || kind || identityId);
  return (
    <>
      <PageHeader title="Alerts" />
      <AlertFilters status={status} />
      <SplitView
        onClose={route.close}
        detailId={route.id}
        list={
          <Loaded resource={list} what="Loading alerts">
            {(page) =>
              page.items.length === 0 ? (
                <Empty>
                  No {status.apiValue ?? ''} alerts{filtered ? ' match these filters' : ''}.
                </Empty>
              ) : (
                <>
                  <AlertTable items={page.items} selected={route.id} hrefFor={route.hrefFor} />
                  <Pager nextCursor={page.nextCursor} pager={pager} count={page.items.length} />
                </>
              )
            }
          </Loaded>
        }
        detail={
          route.id ? (
            <AlertDetail key={route.id} id={route.id} onClose={route.close} onChanged={list.reload} />
          ) : null
        }
      />
    </>
  );
}
