/**
 * KeywardApiError: the one error type the SDK throws for failed calls. It carries the HTTP status,
 * Keyward's stable `code` and the parsed RFC 9457 problem when the server sent one. Messages name
 * the method and URL but never the bearer token (it only ever travels in a header).
 */
import type { Problem } from './types.js';

/** Codes the SDK itself produces, in addition to the server's problem codes. */
export type ClientErrorCode = 'network_error' | 'timeout' | 'invalid_response' | 'http_error';

export class KeywardApiError extends Error {
  /** HTTP status; 0 when no response arrived (network error, timeout). */
  readonly status: number;
  /** The problem's `code`, or a ClientErrorCode. */
  readonly code: string;
  readonly problem: Problem | undefined;
  readonly method: string;
  readonly url: string;

  constructor(init: {
    message: string;
    status: number;
    code: string;
    method: string;
    url: string;
    problem?: Problem | undefined;
    cause?: unknown;
  }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'KeywardApiError';
    this.status = init.status;
    this.code = init.code;
    this.problem = init.problem;
    this.method = init.method;
    this.url = init.url;
  }
}

/** Codes for error responses that carry no problem body (a proxy's HTML page, an empty 502 …). */
const STATUS_CODES: Record<number, string> = {
  400: 'validation_failed',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'already_exists',
  412: 'version_conflict',
  413: 'body_too_large',
  428: 'precondition_required',
  500: 'internal',
};

function isProblem(value: unknown): value is Problem {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { code?: unknown }).code === 'string' &&
    typeof (value as { title?: unknown }).title === 'string'
  );
}

/** Builds the error for a non-2xx response from its raw body text. */
export function errorFromResponse(
  method: string,
  url: string,
  status: number,
  statusText: string,
  body: string,
) {
  let parsed: unknown;
  try {
    parsed = body === '' ? undefined : JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  if (isProblem(parsed)) {
    const fieldErrors = parsed.errors?.length
      ? `: ${parsed.errors.map((e) => `${e.path || '/'} ${e.message}`).join('; ')}`
      : '';
    return new KeywardApiError({
      message: (parsed.detail ?? parsed.title) + fieldErrors,
      status,
      code: parsed.code,
      problem: parsed,
      method,
      url,
    });
  }
  // Not a problem document: keep a short, single-line excerpt so the reader sees what came back.
  const excerpt = body.replace(/\s+/g, ' ').trim().slice(0, 200);
  const label = `HTTP ${status}${statusText ? ` ${statusText}` : ''}`;
  return new KeywardApiError({
    message: `${method} ${url} failed with ${label}${excerpt ? `: ${excerpt}` : ''}`,
    status,
    code: STATUS_CODES[status] ?? 'http_error',
    method,
    url,
  });
}
