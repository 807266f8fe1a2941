/**
 * Reads a Server-Sent Events endpoint with fetch (EventSource cannot send an Authorization header),
 * e.g. `/v1/audit/stream`. Resumes after a dropped connection from the last event id it saw.
 * Hand-written rather than the SDK's SseParser because the SDK's entry point pulls in Node-only code.
 */
import { currentToken } from './session-store.js';

export interface StreamEvent {
  id: string | undefined;
  event: string;
  data: string;
}

export function openEventStream(
  path: string,
  onEvent: (e: StreamEvent) => void,
  onState: (state: 'live' | 'reconnecting' | 'closed') => void,
): () => void {
  const controller = new AbortController();
  let lastId: string | undefined;
  let stopped = false;

  async function run(): Promise<void> {
    while (!stopped) {
      try {
        const headers: Record<string, string> = { authorization: `Bearer ${currentToken() ?? ''}` };
        if (lastId) headers['last-event-id'] = lastId;
        const res = await fetch(path, { headers, signal: controller.signal });
        if (res.status === 401 || res.status === 403) {
          onState('closed');
          return;
        }
        if (!res.ok || !res.body) throw new Error(`stream answered ${res.status}`);
        onState('live');
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let cut = buffer.indexOf('\n\n');
          while (cut >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            const parsed = parseBlock(block);
            if (parsed) {
              if (parsed.id) lastId = parsed.id;
              onEvent(parsed);
            }
            cut = buffer.indexOf('\n\n');
          }
        }
      } catch (err) {
        if (stopped || (err as Error).name === 'AbortError') return;
      }
      onState('reconnecting');
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  void run();
  return () => {
    stopped = true;
    controller.abort();
    onState('closed');
  };
}

function parseBlock(block: string): StreamEvent | undefined {
  let id: string | undefined;
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') id = value;
    else if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  return data.length ? { id, event, data: data.join('\n') } : undefined;
}
