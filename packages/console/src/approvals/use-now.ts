/** The current time, re-rendering every `everyMs` (countdowns to expiry tick without refetching). */
import { useEffect, useState } from 'react';
import { ago } from '../ui/format.js';

export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** "4m 05s left" / "expired 12s ago" — seconds matter when a decision is due. */
export function timeLeft(iso: string, now: number): { text: string; over: boolean } {
  const ms = Date.parse(iso) - now;
  if (Number.isNaN(ms)) return { text: '—', over: false };
  const s = Math.round(Math.abs(ms) / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  const span = h > 0 ? `${h}h ${String(m).padStart(2, '0')}m` : `${m}m ${sec}s`;
  return ms > 0 ? { text: `${span} left`, over: false } : { text: `expired ${span} ago`, over: true };
}

/**
 * `ago` for past events seen with a clock that ticks once a second: a moment "in the future" by less
 * than the tick (or a little clock skew) is "just now", not "in 0s".
 */
export function since(iso: string | null | undefined, now: number): string {
  if (iso && Date.parse(iso) > now - 1000 && Date.parse(iso) < now + 60_000) return 'just now';
  return ago(iso, now);
}
