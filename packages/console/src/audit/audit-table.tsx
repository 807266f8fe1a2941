/**
 * The events table: time, type, actor, subject, action, outcome, seq. A row expands (click, or Enter
 * / Space on the focused row's button) to the full event JSON, hashes included.
 */
import { Fragment, useState } from 'react';
import { Badge } from '../ui/badges.js';
import { when } from '../ui/format.js';
import type { AuditEvent } from './audit-types.js';
import { IdLink } from './id-link.js';

export function AuditTable({ events, caption }: { events: AuditEvent[]; caption: string }) {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  function toggle(id: string): void {
    setOpen((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });
  }
  return (
    <div className="table-wrap">
      <table className="data audit-table">
        <caption className="muted">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Time (UTC)</th>
            <th scope="col">Type</th>
            <th scope="col">Actor</th>
            <th scope="col">Subject</th>
            <th scope="col">Action</th>
            <th scope="col">Outcome</th>
            <th scope="col">Seq</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => {
            const expanded = open.has(e.id);
            return (
              <Fragment key={e.id}>
                <tr
                  className={expanded ? 'selected audit-row' : 'audit-row'}
                  data-seq={e.seq}
                  onClick={(ev) => {
                    // Links inside the row navigate; everything else toggles the details.
                    if (!(ev.target as HTMLElement).closest('a')) toggle(e.id);
                  }}
                >
                  <td className="nowrap">
                    <button
                      type="button"
                      className="audit-expand"
                      aria-expanded={expanded}
                      aria-label={`${expanded ? 'Hide' : 'Show'} event ${e.seq}`}
                      onClick={(ev) => {
                        ev.stopPropagation();
                        toggle(e.id);
                      }}
                    >
                      {expanded ? '▾' : '▸'}
                    </button>{' '}
                    {when(e.time)}
                  </td>
                  <td className="mono">{e.type}</td>
                  <td>
                    <IdLink id={e.actor} />
                    {e.delegationChain.length ? (
                      <span className="muted small" title={e.delegationChain.join(' → ')}>
                        {' '}
                        via {e.delegationChain.length}
                      </span>
                    ) : null}
                  </td>
                  <td>
                    <IdLink id={e.targetId} />
                  </td>
                  <td className="mono">{e.action ?? <span className="muted">—</span>}</td>
                  <td>
                    <Badge value={e.outcome} />
                  </td>
                  <td className="mono">{e.seq}</td>
                </tr>
                {expanded ? (
                  <tr className="audit-json-row">
                    <td colSpan={7}>
                      <pre className="json">{JSON.stringify(e, null, 2)}</pre>
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
