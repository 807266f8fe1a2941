/**
 * The frame both detail panels share (finding and alert): loads the record, shows a one-line note
 * after an action, reloads itself and tells the page so the list follows.
 */
import { type ReactNode, useState } from 'react';
import { useResource } from '../api/use-resource.js';
import { Loaded } from '../ui/states.js';
import { DetailFrame } from './split-view.js';

export interface TriageDetailProps<T extends { status: string }> {
  path: string;
  testId: string;
  heading: string;
  what: string;
  /** The note shown after an action, from the record the action returned. */
  noteOf: (item: T) => string;
  body: (item: T, changed: (item: T) => void) => ReactNode;
  onClose: () => void;
  onChanged: () => void;
}

export function TriageDetail<T extends { status: string }>(p: TriageDetailProps<T>) {
  const res = useResource<T>(p.path);
  const [flash, setFlash] = useState<string>();
  // The flash belongs to this record; the page keys this component by id, so a new id starts clean.
  const changed = (item: T) => {
    setFlash(p.noteOf(item));
    res.reload();
    p.onChanged();
  };
  return (
    <DetailFrame testId={p.testId} status={res.data?.status} heading={p.heading} onClose={p.onClose}>
      {flash ? (
        <p className="triage-flash" role="status">
          {flash}
        </p>
      ) : null}
      <Loaded resource={res} what={p.what}>
        {(item) => p.body(item, changed)}
      </Loaded>
    </DetailFrame>
  );
}
