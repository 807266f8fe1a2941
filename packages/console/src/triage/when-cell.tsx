/** A timestamp shown as date and age, with the exact ISO value on hover; a dash when absent. */
import { ago, when } from '../ui/format.js';

export function At({ iso }: { iso: string | null | undefined }) {
  if (!iso) return <span className="muted">—</span>;
  return <time dateTime={iso} title={iso}>{`${when(iso)} (${ago(iso)})`}</time>;
}
