/** Formatting shared by the pages: dates, ages, short ids. */

export function ago(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '—';
  const ms = now - Date.parse(iso);
  if (Number.isNaN(ms)) return '—';
  const future = ms < 0;
  const s = Math.abs(ms) / 1000;
  const text =
    s < 60
      ? `${Math.round(s)}s`
      : s < 3600
        ? `${Math.round(s / 60)}m`
        : s < 86_400
          ? `${Math.round(s / 3600)}h`
          : s < 86_400 * 365
            ? `${Math.round(s / 86_400)}d`
            : `${(s / (86_400 * 365)).toFixed(1)}y`;
  return future ? `in ${text}` : `${text} ago`;
}

export function age(iso: string | null | undefined, now = Date.now()): string {
  return ago(iso, now).replace(/ ago$/, '');
}

export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().replace('T', ' ').slice(0, 19);
}

export function shortId(id: string): string {
  const cut = id.indexOf('_');
  return cut > 0 && id.length > cut + 9 ? `${id.slice(0, cut + 1)}…${id.slice(-6)}` : id;
}
