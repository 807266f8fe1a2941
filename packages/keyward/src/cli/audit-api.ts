/**
 * The audit (and alert) API over fetch, for the CLI. A stopgap until these routes are in @keyward/sdk: it
 * reuses the CLI's URL, token and fetch, and turns problem+json answers into errors with the
 * problem's `code`, which cli-errors.ts prints like any SDK error.
 */
import type { AuditEvent, AuditEventPage, VerifyResult } from '../audit/audit-types.js';
import type { CliContext } from './cli-context.js';

class AuditApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

export async function call(ctx: CliContext, path: string, init: RequestInit = {}): Promise<Response> {
  const doFetch = ctx.io.fetch ?? fetch;
  let res: Response;
  try {
    res = await doFetch(`${ctx.url.replace(/\/+$/, '')}${path}`, {
      ...init,
      headers: {
        accept: 'application/json',
        ...ctx.authHeaders(),
        ...(init.headers as Record<string, string>),
      },
    });
  } catch (err) {
    throw new AuditApiError(`cannot reach ${ctx.url}: ${(err as Error).message}`, 'network_error');
  }
  if (!res.ok) {
    const problem = (await res.json().catch(() => ({}))) as {
      detail?: string;
      title?: string;
      code?: string;
    };
    throw new AuditApiError(
      problem.detail ?? problem.title ?? `HTTP ${res.status}`,
      problem.code ?? 'http_error',
    );
  }
  return res;
}

export const query = (q: Record<string, string | number | undefined>): string => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') p.append(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
};

export async function listEvents(
  ctx: CliContext,
  q: Record<string, string | number | undefined>,
): Promise<AuditEventPage> {
  return (await (await call(ctx, `/v1/audit/events${query(q)}`)).json()) as AuditEventPage;
}

export async function verifyRemote(ctx: CliContext, fromSeq: number | undefined): Promise<VerifyResult> {
  const res = await call(ctx, '/v1/audit/verify', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fromSeq === undefined ? {} : { fromSeq }),
  });
  return (await res.json()) as VerifyResult;
}

/** Follows the SSE stream, calling `onEvent` per event, until `max` events or the stream ends. */
export async function streamEvents(
  ctx: CliContext,
  afterSeq: number | undefined,
  max: number | undefined,
  onEvent: (e: AuditEvent) => void,
): Promise<void> {
  const controller = new AbortController();
  const res = await call(ctx, '/v1/audit/stream', {
    headers: {
      accept: 'text/event-stream',
      ...(afterSeq !== undefined ? { 'last-event-id': String(afterSeq) } : {}),
    },
    signal: controller.signal,
  });
  const decoder = new TextDecoder();
  let buffer = '';
  let seen = 0;
  const body = res.body;
  if (!body) return;
  try {
    for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block
          .split('\n')
          .filter((l) => l.startsWith('data: '))
          .map((l) => l.slice(6))
          .join('\n');
        if (data) {
          onEvent(JSON.parse(data) as AuditEvent);
          if (max !== undefined && ++seen >= max) return;
        }
        end = buffer.indexOf('\n\n');
      }
    }
  } finally {
    controller.abort();
  }
}
