/**
 * Names for ids shown in tables (owners, identities): fetched once per id and kept for the session,
 * so a page of 50 rows costs at most one small request per new id, all in parallel.
 */
import { useEffect, useState } from 'react';
import { apiCall } from './api-client.js';

const cache = new Map<string, string>();
const pending = new Map<string, Promise<void>>();

function pathOf(id: string): string | undefined {
  const e = encodeURIComponent(id);
  if (id.startsWith('nhi_')) return `/v1/identities/${e}`;
  if (id.startsWith('hum_')) return `/v1/humans/${e}`;
  if (id.startsWith('res_')) return `/v1/resources/${e}`;
  if (id.startsWith('sys_')) return `/v1/systems/${e}`;
  return undefined;
}

function load(id: string): Promise<void> {
  const existing = pending.get(id);
  if (existing) return existing;
  const path = pathOf(id);
  const p = path
    ? apiCall<{ name?: string; email?: string }>(path)
        .then((r) => {
          cache.set(id, r.name ?? r.email ?? id);
        })
        .catch(() => {
          cache.set(id, id);
        })
    : Promise.resolve();
  pending.set(id, p);
  return p;
}

/** Remember a name already in hand (e.g. from a list response) so it is not fetched again. */
export function rememberName(id: string, name: string): void {
  cache.set(id, name);
}

export function useNames(ids: ReadonlyArray<string | null | undefined>): (id: string) => string {
  const wanted = [...new Set(ids.filter((x): x is string => !!x))];
  const key = wanted.join(',');
  const [, setVersion] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: key stands for the id list
  useEffect(() => {
    const missing = wanted.filter((id) => !cache.has(id));
    if (missing.length === 0) return;
    let live = true;
    void Promise.all(missing.map(load)).then(() => {
      if (live) setVersion((v) => v + 1);
    });
    return () => {
      live = false;
    };
  }, [key]);
  return (id) => cache.get(id) ?? id;
}
