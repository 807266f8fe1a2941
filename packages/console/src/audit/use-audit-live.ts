/**
 * The live tail: opens /v1/audit/stream and keeps the newest events first, at most LIVE_CAP in memory.
 * The stream starts at the head, so to show some history at once it resumes from a little before the
 * latest checkpoint (checkpoints are made every minute, so that backlog is bounded); filters that the
 * stream cannot apply are applied here.
 */
import { useEffect, useState } from 'react';
import { apiCall } from '../api/api-client.js';
import { openEventStream } from '../api/event-stream.js';
import type { AuditEvent, AuditFilterValues, CheckpointList } from './audit-types.js';

export const LIVE_CAP = 500;
const BACKLOG = 100;

export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'closed';

export function matches(e: AuditEvent, f: AuditFilterValues): boolean {
  if (f.type && e.type !== f.type) return false;
  if (f.outcome && e.outcome !== f.outcome) return false;
  if (f.taskId && e.taskId !== f.taskId) return false;
  if (f.identityId && e.actor !== f.identityId && e.targetId !== f.identityId) return false;
  return true;
}

export function useAuditLive(enabled: boolean): { events: AuditEvent[]; state: LiveState } {
  const [events, setEvents] = useState<AuditEvent[]>([]);
  const [state, setState] = useState<LiveState>('closed');
  useEffect(() => {
    if (!enabled) {
      setState('closed');
      return;
    }
    setEvents([]);
    setState('connecting');
    let close: (() => void) | undefined;
    let cancelled = false;
    let lastSeq = 0;
    apiCall<CheckpointList>('/v1/audit/checkpoints')
      .then((l) => l.items[l.items.length - 1]?.seq ?? 0)
      .catch(() => 0)
      .then((anchor) => {
        if (cancelled) return;
        const start = Math.max(0, anchor - BACKLOG);
        close = openEventStream(
          `/v1/audit/stream?lastEventId=${start}`,
          (msg) => {
            if (msg.event !== 'audit') return;
            const e = JSON.parse(msg.data) as AuditEvent;
            // The stream is in seq order and a reconnect resumes after the last id; guard anyway.
            if (e.seq <= lastSeq) return;
            lastSeq = e.seq;
            setEvents((list) => [e, ...list].slice(0, LIVE_CAP));
          },
          (s) => {
            if (!cancelled) setState(s);
          },
        );
      });
    return () => {
      cancelled = true;
      close?.();
    };
  }, [enabled]);
  return { events, state };
}
