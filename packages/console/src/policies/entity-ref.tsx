/**
 * A Cedar entity uid from a replayed decision (`Keyward::ApiKey::"nhi_…"`): the entity type, muted,
 * and the id, linked when it is an identity. Anything that is not a uid is shown as it is.
 */
import { IdLink } from '../audit/id-link.js';

const UID = /^((?:[A-Za-z_][A-Za-z0-9_]*::)*[A-Za-z_][A-Za-z0-9_]*)::"((?:[^"\\]|\\.)*)"$/;

export function EntityRef({ uid }: { uid: string }) {
  const m = UID.exec(uid);
  if (!m) return <span className="mono">{uid}</span>;
  const type = m[1]!.replace(/^Keyward::/, '');
  return (
    <span title={uid} className="entity-ref">
      <span className="muted small">{type}</span> <IdLink id={m[2]!} />
    </span>
  );
}
