/** The alerts list filters (status, severity, kind, identity), all kept in the URL. */
import { optionsOf, SelectFilter, UrlSelect, UrlText, type useStatusFilter } from './filter-controls.js';
import { ALERT_KINDS, ALERT_STATUSES, SEVERITIES } from './triage-types.js';

const STATUS_OPTIONS = [...optionsOf(ALERT_STATUSES), { value: 'all', label: 'all' }];

export function AlertFilters({ status }: { status: ReturnType<typeof useStatusFilter> }) {
  return (
    <form className="filters" aria-label="Filter alerts" onSubmit={(e) => e.preventDefault()}>
      <SelectFilter
        label="Status"
        name="status"
        options={STATUS_OPTIONS}
        value={status.value}
        onChange={status.set}
      />
      <UrlSelect label="Severity" name="severity" options={optionsOf(SEVERITIES)} />
      <UrlSelect label="Kind" name="kind" options={optionsOf(ALERT_KINDS)} />
      <UrlText label="Identity id" name="identity" placeholder="nhi_…" />
    </form>
  );
}
