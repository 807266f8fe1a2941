/**
 * POSTs an application/x-www-form-urlencoded body to an OAuth endpoint and returns its JSON, or
 * throws KeywardOAuthError. Browser-safe (global fetch only). The form carries secrets
 * (assertions, tokens), so nothing from it ever reaches an error message.
 */
import { KeywardOAuthError } from './oauth-error.js';

export interface FormPostOptions {
  fetch: typeof fetch;
  timeoutMs: number;
  headers?: Record<string, string> | undefined;
}

export async function postForm<T>(
  url: string,
  form: Record<string, string | undefined>,
  options: FormPostOptions,
): Promise<T> {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(form)) {
    if (value !== undefined && value !== '') body.append(key, value);
  }
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  let response: Response;
  let text: string;
  try {
    response = await options.fetch(url, {
      method: 'POST',
      headers: {
        accept: 'application/json',
        'content-type': 'application/x-www-form-urlencoded',
        ...options.headers,
      },
      body: body.toString(),
      signal: controller.signal,
    });
    text = await response.text();
  } catch (cause) {
    const timedOut = controller.signal.aborted;
    throw new KeywardOAuthError({
      error: timedOut ? 'timeout' : 'network_error',
      description: timedOut ? `no answer within ${options.timeoutMs} ms` : describe(cause),
      status: 0,
      url,
      cause,
    });
  } finally {
    clearTimeout(timer);
  }
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const err = parsed as { error?: unknown; error_description?: unknown } | undefined;
    throw new KeywardOAuthError({
      error: typeof err?.error === 'string' ? err.error : `http_${response.status}`,
      description: typeof err?.error_description === 'string' ? err.error_description : undefined,
      status: response.status,
      url,
    });
  }
  if (parsed === undefined || typeof parsed !== 'object' || parsed === null) {
    throw new KeywardOAuthError({
      error: 'invalid_response',
      description: `HTTP ${response.status} body is not a JSON object`,
      status: response.status,
      url,
    });
  }
  return parsed as T;
}

function describe(cause: unknown): string {
  if (!(cause instanceof Error)) return 'request failed';
  const inner = cause.cause as { code?: unknown; message?: unknown } | undefined;
  if (inner && typeof inner.code === 'string') return `${cause.message} (${inner.code})`;
  return cause.message;
}
