/**
 * Keyward's error model. Every failure a caller can act on is a KeywardError with a stable `code`;
 * the HTTP face maps codes to RFC 9457 problems in exactly one place (http/problem.ts). Programmer
 * misuse throws TypeError instead.
 */

export type KeywardErrorCode =
  | 'validation_failed'
  | 'invalid_json'
  | 'body_too_large'
  | 'unsupported_media_type'
  | 'not_found'
  | 'route_not_found'
  | 'already_exists'
  | 'task_not_active'
  | 'version_conflict'
  | 'precondition_required'
  | 'policy_violation'
  | 'invalid_reference'
  | 'unauthenticated'
  | 'forbidden'
  | 'invalid_client'
  | 'master_key_invalid'
  | 'master_key_mismatch'
  | 'storage_unavailable'
  | 'upstream_failed'
  | 'internal'
  | 'approval_not_pending'
  | 'alert_closed'
  | 'rotation_in_progress';

export interface FieldError {
  path: string;
  message: string;
}

export class KeywardError extends Error {
  readonly code: KeywardErrorCode;
  readonly errors: FieldError[] | undefined;

  constructor(code: KeywardErrorCode, message: string, options?: { errors?: FieldError[]; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'KeywardError';
    this.code = code;
    this.errors = options?.errors;
  }
}

export const notFound = (what: string, id: string): KeywardError =>
  new KeywardError('not_found', `${what} ${JSON.stringify(id)} does not exist`);

export const validationFailed = (message: string, errors?: FieldError[]): KeywardError =>
  new KeywardError('validation_failed', message, errors ? { errors } : undefined);
