/**
 * The search form: every filter GET /v1/audit/events accepts, each kept in the URL so a
 * search is a shareable link. Text filters apply on submit (Enter), selects and times at once.
 * Times are entered and shown in UTC, like every time on the page.
 */
import { type FormEvent, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { AuditFilterValues } from './audit-types.js';

const KEYS = ['type', 'identityId', 'taskId', 'outcome', 'from', 'to'] as const;

/**
 * The filters in the URL. Like useFilter (ui/pager.tsx) a change goes back to the first page; unlike
 * it, several filters change in one navigation (react-router's functional updates do not queue, so
 * calling useFilter's setters one after another would keep only the last).
 */
export function useAuditFilters(): {
  values: AuditFilterValues;
  setMany: (patch: Partial<AuditFilterValues>) => void;
} {
  const [params, setParams] = useSearchParams();
  const values = Object.fromEntries(
    KEYS.map((k) => [k, params.get(k) ?? '']),
  ) as unknown as AuditFilterValues;
  return {
    values,
    setMany: (patch) =>
      setParams((p) => {
        const n = new URLSearchParams(p);
        for (const [k, v] of Object.entries(patch)) {
          if (v) n.set(k, v);
          else n.delete(k);
        }
        n.delete('cursor');
        n.delete('back');
        return n;
      }),
  };
}

export const hasFilter = (v: AuditFilterValues): boolean => Object.values(v).some((x) => x !== '');

/** `2026-12-04T02:00` (a datetime-local value, read as UTC) → ISO, or undefined. */
export function utcIso(local: string): string | undefined {
  if (!local) return undefined;
  const d = new Date(`${local}${local.length === 16 ? ':00' : ''}Z`);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** A text filter: typed freely, applied with Enter or the Search button. */
function TextFilter(props: { label: string; name: string; value: string; placeholder?: string }) {
  const [draft, setDraft] = useState(props.value);
  useEffect(() => setDraft(props.value), [props.value]);
  return (
    <label className="field">
      {props.label}
      <input
        type={props.name === 'type' ? 'search' : 'text'}
        name={props.name}
        value={draft}
        placeholder={props.placeholder}
        onChange={(e) => setDraft(e.target.value)}
      />
    </label>
  );
}

export function AuditFilters({ filters }: { filters: ReturnType<typeof useAuditFilters> }) {
  const { values, setMany } = filters;
  function submit(e: FormEvent<HTMLFormElement>): void {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const patch: Partial<AuditFilterValues> = {};
    for (const k of ['type', 'identityId', 'taskId'] as const) patch[k] = String(form.get(k) ?? '').trim();
    setMany(patch);
  }
  return (
    <form className="filters audit-filters" onSubmit={submit} aria-label="Search audit events">
      <TextFilter label="Type" name="type" value={values.type} placeholder="e.g. policy.applied" />
      <TextFilter
        label="Identity (actor or subject)"
        name="identityId"
        value={values.identityId}
        placeholder="nhi_…"
      />
      <TextFilter label="Task" name="taskId" value={values.taskId} placeholder="tsk_…" />
      <label className="field">
        Outcome
        <select name="outcome" value={values.outcome} onChange={(e) => setMany({ outcome: e.target.value })}>
          <option value="">any</option>
          <option value="success">success</option>
          <option value="failure">failure</option>
          <option value="denied">denied</option>
        </select>
      </label>
      <label className="field">
        From (UTC)
        <input
          type="datetime-local"
          name="from"
          value={values.from}
          onChange={(e) => setMany({ from: e.target.value })}
        />
      </label>
      <label className="field">
        To (UTC)
        <input
          type="datetime-local"
          name="to"
          value={values.to}
          onChange={(e) => setMany({ to: e.target.value })}
        />
      </label>
      <button type="submit" className="btn">
        Search
      </button>
      {hasFilter(values) ? (
        <button
          type="button"
          className="btn btn-small"
          onClick={() => setMany(Object.fromEntries(KEYS.map((k) => [k, ''])))}
        >
          Clear filters
        </button>
      ) : null}
    </form>
  );
}
