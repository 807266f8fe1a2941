/**
 * A minimal Server-Sent Events reader for tests: fetches a stream and collects `{id, event, data}`
 * frames as they arrive; comments (heartbeats) are counted separately.
 */
export interface SseFrame {
  id: string | undefined;
  event: string | undefined;
  data: string;
}

export interface SseStream {
  status: number;
  frames: SseFrame[];
  comments: () => number;
  /** Resolves once at least `n` frames arrived; rejects after `timeoutMs`. */
  waitFor(n: number, timeoutMs?: number): Promise<SseFrame[]>;
  close(): void;
}

export async function openSse(url: string, headers: Record<string, string>): Promise<SseStream> {
  const abort = new AbortController();
  const res = await fetch(url, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: abort.signal,
  });
  const frames: SseFrame[] = [];
  let comments = 0;
  const waiters: Array<() => void> = [];
  if (res.body) {
    void (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            if (block.startsWith(':')) {
              comments++;
              continue;
            }
            const field = (name: string) =>
              block
                .split('\n')
                .find((l) => l.startsWith(`${name}: `))
                ?.slice(name.length + 2);
            frames.push({ id: field('id'), event: field('event'), data: field('data') ?? '' });
            for (const w of waiters.splice(0)) w();
          }
        }
      } catch {
        // aborted
      }
    })();
  }
  return {
    status: res.status,
    frames,
    comments: () => comments,
    async waitFor(n, timeoutMs = 1000) {
      const deadline = Date.now() + timeoutMs;
      while (frames.length < n) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`only ${frames.length} of ${n} SSE frames within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, left);
        });
      }
      return frames;
    },
    close: () => abort.abort(),
  };
}
