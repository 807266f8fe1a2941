/**
 * A search box with suggestions (identities, optionally resources) that also takes a pasted id.
 * ARIA combobox: arrows move, Enter picks (or accepts the typed text as an id), Escape closes.
 * The input holds the id once something is picked, so the form posts exactly what it shows.
 */
import { useEffect, useId, useState } from 'react';
import { apiCall, withQuery } from '../api/api-client.js';

interface Suggestion {
  id: string;
  name: string;
  kind: string;
}

const SOURCES = { identities: '/v1/identities', resources: '/v1/resources', humans: '/v1/humans' } as const;
export type PickerSource = keyof typeof SOURCES;

export interface NodePickerProps {
  label: string;
  name: string;
  value: string;
  onChange: (text: string) => void;
  /** Called when a suggestion is picked or Enter is pressed on the text. */
  onPick?: (id: string) => void;
  sources?: PickerSource[];
  placeholder?: string;
}

export function NodePicker({
  label,
  name,
  value,
  onChange,
  onPick,
  sources = ['identities'],
  placeholder,
}: NodePickerProps) {
  const listId = useId();
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<Suggestion[]>([]);
  const [active, setActive] = useState(-1);
  const [picked, setPicked] = useState<Suggestion | null>(null);
  const sourceKey = sources.join(',');

  useEffect(() => {
    const q = value.trim();
    if (!open || q.length < 2 || q === picked?.id) {
      setItems([]);
      return;
    }
    const controller = new AbortController();
    // Debounced: a request per pause, not per keystroke.
    const timer = window.setTimeout(() => {
      Promise.all(
        sourceKey
          .split(',')
          .map((s) =>
            apiCall<{ items: Array<{ id: string; name: string; kind?: string }> }>(
              withQuery(SOURCES[s as PickerSource], { q, limit: 10 }),
              { signal: controller.signal },
            ).then((page) =>
              page.items.map((i) => ({ id: i.id, name: i.name, kind: i.kind ?? s.replace(/s$/, '') })),
            ),
          ),
      )
        .then((lists) => {
          setItems(lists.flat().slice(0, 12));
          setActive(-1);
        })
        .catch(() => setItems([]));
    }, 180);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [value, open, sourceKey, picked]);

  function choose(s: Suggestion) {
    setPicked(s);
    onChange(s.id);
    setOpen(false);
    onPick?.(s.id);
  }

  const showList = open && items.length > 0;
  function onKeyDown(e: React.KeyboardEvent<HTMLInputElement>) {
    if (e.key === 'ArrowDown' && items.length) {
      e.preventDefault();
      setOpen(true);
      setActive((a) => (a + 1) % items.length);
    } else if (e.key === 'ArrowUp' && items.length) {
      e.preventDefault();
      setActive((a) => (a <= 0 ? items.length - 1 : a - 1));
    } else if (e.key === 'Enter') {
      const s = open ? items[active] : undefined;
      if (s) {
        e.preventDefault();
        choose(s);
      } else if (onPick && value.trim()) {
        e.preventDefault();
        setOpen(false);
        onPick(value.trim());
      }
    } else if (e.key === 'Escape' && showList) {
      // Close the list only; without this the search input would also clear itself.
      e.preventDefault();
      setOpen(false);
    }
  }

  return (
    <div className="field kw-picker">
      <label htmlFor={`${listId}-input`}>{label}</label>
      <input
        id={`${listId}-input`}
        name={name}
        type="search"
        role="combobox"
        autoComplete="off"
        spellCheck={false}
        aria-expanded={showList}
        aria-controls={`${listId}-list`}
        aria-autocomplete="list"
        aria-activedescendant={showList && active >= 0 ? `${listId}-${active}` : undefined}
        placeholder={placeholder ?? 'Name or id'}
        value={value}
        onChange={(e) => {
          setPicked(null);
          setOpen(true);
          onChange(e.target.value);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => window.setTimeout(() => setOpen(false), 150)}
        onKeyDown={onKeyDown}
      />
      {picked && picked.id === value ? <span className="kw-picked">{picked.name}</span> : null}
      <div id={`${listId}-list`} role="listbox" className="kw-suggestions" hidden={!showList}>
        {items.map((s, i) => (
          <div
            key={s.id}
            id={`${listId}-${i}`}
            role="option"
            tabIndex={-1}
            aria-selected={i === active}
            className={i === active ? 'active' : undefined}
            onMouseDown={(e) => {
              e.preventDefault();
              choose(s);
            }}
          >
            <span>{s.name}</span> <span className="muted small">{s.kind}</span>
          </div>
        ))}
      </div>
    </div>
  );
}
