/**
 * Identity names for the ids a page shows. The list APIs carry only `identityId`, and there is no
 * list-by-ids call, so each unknown id is fetched once (`GET /v1/identities/:id`, all in parallel)
 * and kept in a module-level Map: paging back and forth or opening a detail does not ask again.
 */
import type { Identity } from '@keyward/sdk';
import { useEffect, useState } from 'react';
import { apiCall } from '../api/api-client.js';

/** id → name, or null when the identity could not be read (deleted, or no longer visible). */
const names = new Map<string, string | null>();
const inFlight = new Map<string, Promise<void>>();

function fetchName(id: string): Promise<void> {
  let p = inFlight.get(id);
  if (!p) {
    p = apiCall<Identity>(`/v1/identities/${encodeURIComponent(id)}`)
      .then((identity) => {
        names.set(id, identity.name);
      })
      .catch(() => {
        names.set(id, null);
      })
      .finally(() => inFlight.delete(id));
    inFlight.set(id, p);
  }
  return p;
}

/** Returns a lookup that re-renders the caller once the names of `ids` have arrived. */
export function useIdentityNames(ids: ReadonlyArray<string | null | undefined>): Map<string, string | null> {
  const [, setVersion] = useState(0);
  const wanted = [...new Set(ids.filter((id): id is string => !!id))].sort();
  const key = wanted.join(',');
  // biome-ignore lint/correctness/useExhaustiveDependencies: key stands for the id list
  useEffect(() => {
    const missing = wanted.filter((id) => !names.has(id));
    if (missing.length === 0) return;
    let live = true;
    void Promise.all(missing.map(fetchName)).then(() => {
      if (live) setVersion((v) => v + 1);
    });
    return () => {
      live = false;
    };
  }, [key]);
  return names;
}
