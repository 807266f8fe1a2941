/**
 * The filter controls of the triage lists, each bound to one URL query parameter through
 * `useFilter` (so a filtered list is a shareable link and changing a filter goes back to page one).
 */
import { useEffect, useState } from 'react';
import { useFilter } from '../ui/pager.js';

export interface Option {
  value: string;
  label: string;
}

/**
 * A status filter with a default: no `?status=` means `fallback` (e.g. open), `?status=all` means
 * no filter. Returns the value to send to the API (undefined for all) and the select's props.
 */
export function useStatusFilter(fallback: string): {
  apiValue: string | undefined;
  value: string;
  set: (v: string) => void;
} {
  const [raw, setRaw] = useFilter('status');
  const value = raw || fallback;
  return {
    apiValue: value === 'all' ? undefined : value,
    value,
    set: (v) => setRaw(v === fallback ? '' : v),
  };
}

export function SelectFilter(props: {
  label: string;
  name: string;
  options: ReadonlyArray<Option>;
  value: string;
  onChange: (v: string) => void;
  /** Label of the "no filter" choice; omit when the options already hold one. */
  anyLabel?: string;
}) {
  return (
    <label className="field">
      {props.label}
      <select name={props.name} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        {props.anyLabel !== undefined ? <option value="">{props.anyLabel}</option> : null}
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A select for one plain URL filter (`?severity=high`), empty meaning any. */
export function UrlSelect(props: { label: string; name: string; options: ReadonlyArray<Option> }) {
  const [value, set] = useFilter(props.name);
  return <SelectFilter {...props} value={value} onChange={set} anyLabel="any" />;
}

/**
 * A text filter (an identity id, a rule) applied on Enter or when focus leaves, not on every
 * keystroke: a half-typed id would only return an empty page.
 */
export function UrlText(props: {
  label: string;
  name: string;
  placeholder?: string;
  /** Suggestions offered by the browser (a datalist). */
  suggestions?: ReadonlyArray<string>;
}) {
  const [value, set] = useFilter(props.name);
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  const listId = props.suggestions ? `${props.name}-suggestions` : undefined;
  const commit = () => {
    if (draft.trim() !== value) set(draft.trim());
  };
  return (
    <label className="field">
      {props.label}
      <input
        name={props.name}
        value={draft}
        placeholder={props.placeholder}
        list={listId}
        onChange={(e) => {
          setDraft(e.target.value);
          // Picking a suggestion is a complete value: apply it without waiting for Enter.
          if (props.suggestions?.includes(e.target.value)) set(e.target.value);
        }}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            commit();
          }
        }}
      />
      {props.suggestions ? (
        <datalist id={listId}>
          {props.suggestions.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
      ) : null}
    </label>
  );
}

/** Options from a list of plain values. */
export const optionsOf = (values: ReadonlyArray<string>): Option[] =>
  values.map((v) => ({ value: v, label: v.replace(/_/g, ' ') }));
