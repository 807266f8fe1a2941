/** The findings list filters (status, severity, NHI code, rule, identity), all kept in the URL. */
import { optionsOf, SelectFilter, UrlSelect, UrlText, type useStatusFilter } from './filter-controls.js';
import { NHI_CODES } from './nhi-codes.js';
import { FINDING_RULES, FINDING_STATUSES, SEVERITIES } from './triage-types.js';

const STATUS_OPTIONS = [...optionsOf(FINDING_STATUSES), { value: 'all', label: 'all' }];
const CODE_OPTIONS = NHI_CODES.map((c) => ({ value: c.code, label: `${c.code} ${c.name}` }));

export function FindingFilters({ status }: { status: ReturnType<typeof useStatusFilter> }) {
  return (
    <form className="filters" aria-label="Filter findings" onSubmit={(e) => e.preventDefault()}>
      <SelectFilter
        label="Status"
        name="status"
        options={STATUS_OPTIONS}
        value={status.value}
        onChange={status.set}
      />
      <UrlSelect label="Severity" name="severity" options={optionsOf(SEVERITIES)} />
      <UrlSelect label="OWASP NHI code" name="code" options={CODE_OPTIONS} />
      <UrlText label="Rule" name="rule" placeholder="any rule" suggestions={FINDING_RULES} />
      <UrlText label="Identity id" name="identity" placeholder="nhi_…" />
    </form>
  );
}
