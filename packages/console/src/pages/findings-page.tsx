/**
 * FindingsPage (`/findings`, `/findings/:id`): posture findings filed under the OWASP NHI Top 10,
 * filtered and paged server-side (state in the URL), with the selected finding's detail beside the
 * list (below it on narrow screens) where it can be accepted or resolved. Building blocks: ../triage/.
 */
import type { Page } from '@keyward/sdk';
import { withQuery } from '../api/api-client.js';
import { useResource } from '../api/use-resource.js';
import { useStatusFilter } from '../triage/filter-controls.js';
import { FindingDetail } from '../triage/finding-detail.js';
import { FindingFilters } from '../triage/finding-filters.js';
import { FindingTable } from '../triage/finding-table.js';
import { SplitView, useDetailRoute } from '../triage/split-view.js';
import type { Finding } from '../triage/triage-types.js';
import { PageHeader } from '../ui/layout.js';
import { Pager, useFilter, usePager } from '../ui/pager.js';
import { Empty, Loaded } from '../ui/states.js';

const PAGE_SIZE = 50;

export function FindingsPage() {
  const route = useDetailRoute('/findings');
  const status = useStatusFilter('open');
  const [severity] = useFilter('severity');
  const [code] = useFilter('code');
  const [rule] = useFilter('rule');
  const [identityId] = useFilter('identity');
  const pager = usePager();
  const list = useResource<Page<Finding>>(
    withQuery('/v1/findings', {
      status: status.apiValue,
      severity,
      code,
      rule,
      identityId,
      cursor: pager.cursor,
      limit: PAGE_SIZE,
    }),
  );
  const filtered = Boolean(severity || code || rule || identityId);
  return (
    <>
      <PageHeader title="Findings" />
      <FindingFilters status={status} />
      <SplitView
        onClose={route.close}
        detailId={route.id}
        list={
          <Loaded resource={list} what="Loading findings">
            {(page) =>
              page.items.length === 0 ? (
                <Empty>
                  No {status.apiValue ?? ''} findings{filtered ? ' match these filters' : ''}.
                </Empty>
              ) : (
                <>
                  <FindingTable items={page.items} selected={route.id} hrefFor={route.hrefFor} />
                  <Pager nextCursor={page.nextCursor} pager={pager} count={page.items.length} />
                </>
              )
            }
          </Loaded>
        }
        detail={
          route.id ? (
            <FindingDetail key={route.id} id={route.id} onClose={route.close} onChanged={list.reload} />
          ) : null
        }
      />
    </>
  );
}
