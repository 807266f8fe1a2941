/**
 * Names for the ids an approval carries (humans `hum_`, identities `nhi_`), fetched once per id and
 * cached for the tab, so the 2-second queue refresh does not refetch them. `EntityLink` shows the
 * name linked to the identity's page (humans have no page of their own; their id shows on hover).
 */
import type { Human, Identity } from '@keyward/sdk';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { apiCall } from '../api/api-client.js';

export interface EntityInfo {
  id: string;
  kind: 'human' | 'identity' | 'unknown';
  name: string | undefined;
  /** e.g. agent, service_account — identities only. */
  detail: string | undefined;
  missing: boolean;
}

const cache = new Map<string, Promise<EntityInfo>>();

function load(id: string): Promise<EntityInfo> {
  let p = cache.get(id);
  if (!p) {
    const base = { id, name: undefined, detail: undefined, missing: false };
    p = id.startsWith('hum_')
      ? apiCall<Human>(`/v1/humans/${encodeURIComponent(id)}`).then(
          (h): EntityInfo => ({ ...base, kind: 'human', name: h.name, detail: h.email }),
        )
      : id.startsWith('nhi_')
        ? apiCall<Identity>(`/v1/identities/${encodeURIComponent(id)}`).then(
            (i): EntityInfo => ({ ...base, kind: 'identity', name: i.name, detail: i.kind }),
          )
        : Promise.resolve<EntityInfo>({ ...base, kind: 'unknown' });
    p = p.catch((): EntityInfo => {
      cache.delete(id); // try again next time; it may have been a passing error
      return { ...base, kind: id.startsWith('hum_') ? 'human' : 'identity', missing: true };
    });
    cache.set(id, p);
  }
  return p;
}

export function useEntity(id: string): EntityInfo | undefined {
  const [info, setInfo] = useState<EntityInfo>();
  useEffect(() => {
    let live = true;
    setInfo(undefined);
    void load(id).then((i) => {
      if (live) setInfo(i);
    });
    return () => {
      live = false;
    };
  }, [id]);
  return info;
}

export function EntityLink({
  id,
  showDetail = false,
  plain = false,
}: {
  id: string;
  showDetail?: boolean;
  /** Name only, no link: inside a row that is itself a link to somewhere else. */
  plain?: boolean;
}) {
  const info = useEntity(id);
  const label = info?.name ?? id;
  const detail = showDetail && info?.detail ? <span className="muted small"> {info.detail}</span> : null;
  if (id.startsWith('nhi_') && !plain) {
    return (
      <span>
        <Link to={`/identities/${id}`} title={id}>
          {label}
        </Link>
        {detail}
      </span>
    );
  }
  return (
    <span title={id}>
      {label}
      {detail}
    </span>
  );
}
