/**
 * Renders a record id from an audit event: identity ids (`nhi_…`) link to their page, other ids are
 * shown shortened with the full id on hover. Why only nhi_: the other record types have no page of
 * their own in the console.
 */
import { Link } from 'react-router';
import { shortId } from '../ui/format.js';

export function IdLink({ id }: { id: string | null | undefined }) {
  if (!id) return <span className="muted">—</span>;
  if (/^nhi_[0-9a-f]{32}$/.test(id)) {
    return (
      <Link to={`/identities/${id}`} className="mono" title={id}>
        {shortId(id)}
      </Link>
    );
  }
  return (
    <span className="mono" title={id}>
      {shortId(id)}
    </span>
  );
}
