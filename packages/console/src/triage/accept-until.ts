/**
 * The "risk accepted until" date of a finding: picked as a calendar day in a date input (default
 * 30 days ahead) and sent as the end of that day in the browser's time zone, an ISO date-time,
 * which is what `POST /v1/findings/:id/accept` takes (`until`, format date-time, in the future).
 */

/** `YYYY-MM-DD` of today + `days`, in local time (what a date input shows). */
export function dayFromNow(days: number, now = new Date()): string {
  const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() + days);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The end of a local calendar day as an ISO date-time, or an error message. */
export function untilOf(day: string, now = Date.now()): { iso: string } | { error: string } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return { error: 'Pick the date the acceptance ends.' };
  const end = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 23, 59, 59);
  if (Number.isNaN(end.getTime())) return { error: 'Pick the date the acceptance ends.' };
  if (end.getTime() <= now) return { error: 'The acceptance must end in the future.' };
  return { iso: end.toISOString() };
}
