/**
 * The SDK's only I/O: builds URLs (every path segment and query value URL-encoded), sends JSON with
 * the bearer token, enforces the timeout and turns failures into KeywardApiError. Uses only the
 * global fetch/AbortController so the SDK runs in browsers, Deno and Node alike.
 */
import { errorFromResponse, KeywardApiError } from './api-error.js';

export interface KeywardClientOptions {
  /** Base URL of the server, e.g. http://127.0.0.1:8470 */
  url: string;
  /** API token; sent as `Authorization: Bearer …`. Optional only for /healthz and /readyz. */
  token?: string | undefined;
  /** A fetch implementation (tests, proxies); defaults to the global fetch. */
  fetch?: typeof fetch | undefined;
  /** Per-request timeout; default 30 s. */
  timeoutMs?: number | undefined;
}

export type QueryValue = string | number | boolean | null | undefined;
export type Query = Record<string, QueryValue>;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  query?: Query | undefined;
  body?: unknown;
  headers?: Record<string, string> | undefined;
}

/** Encodes one path segment: ids and names may contain `/`, `?` or spaces. */
export const seg = (value: string): string => encodeURIComponent(value);

export class HttpTransport {
  private readonly base: string;
  private readonly token: string | undefined;
  private readonly fetchImpl: typeof fetch;
  private readonly timeoutMs: number;

  constructor(options: KeywardClientOptions) {
    if (!options.url) throw new TypeError('KeywardClient: `url` is required');
    this.base = options.url.replace(/\/+$/, '');
    this.token = options.token || undefined;
    this.fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** The absolute URL for a path (already segment-encoded) and query; undefined values are dropped. */
  url(path: string, query?: Query): string {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined && value !== null && value !== '') params.append(key, String(value));
    }
    const qs = params.toString();
    return `${this.base}${path}${qs ? `?${qs}` : ''}`;
  }

  async request<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const method = options.method ?? 'GET';
    const url = this.url(path, options.query);
    const headers: Record<string, string> = {
      accept: 'application/json, application/problem+json',
      ...options.headers,
    };
    if (this.token) headers['authorization'] = `Bearer ${this.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';

    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await this.fetchImpl(url, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: controller.signal,
      });
      text = await response.text();
    } catch (cause) {
      const timedOut = controller.signal.aborted;
      // The cause is the fetch implementation's error; it never sees the token in its message.
      const reason = timedOut ? `timed out after ${this.timeoutMs} ms` : describeCause(cause);
      throw new KeywardApiError({
        message: `cannot reach Keyward at ${method} ${url}: ${reason}`,
        status: 0,
        code: timedOut ? 'timeout' : 'network_error',
        method,
        url,
        cause,
      });
    } finally {
      clearTimeout(timer);
    }

    if (!response.ok) throw errorFromResponse(method, url, response.status, response.statusText, text);
    if (response.status === 204 || text === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch (cause) {
      throw new KeywardApiError({
        message: `${method} ${url} returned a body that is not JSON (HTTP ${response.status})`,
        status: response.status,
        code: 'invalid_response',
        method,
        url,
        cause,
      });
    }
  }
}

/** Node's fetch hides the useful part (ECONNREFUSED …) in `cause`. */
function describeCause(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  const inner = cause.cause;
  if (inner instanceof Error && inner.message) return `${cause.message} (${inner.message})`;
  if (inner && typeof inner === 'object' && 'code' in inner)
    return `${cause.message} (${String(inner.code)})`;
  return cause.message;
}
