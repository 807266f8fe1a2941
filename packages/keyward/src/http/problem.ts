/**
 * The one place where errors become HTTP: KeywardError, StorageError, Fastify's own request errors
 * (bad JSON, oversized body, schema validation) and anything unexpected map to RFC 9457
 * problem+json with a stable `code`. Unexpected errors are logged and answered without detail, so
 * no internal (or secret) text ever reaches a client.
 */
import type { Problem } from '@keyward/sdk';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { KeywardError, type KeywardErrorCode } from '../errors.js';
import { StorageError } from '../storage/storage-errors.js';

const STATUS: Record<KeywardErrorCode, number> = {
  validation_failed: 400,
  invalid_json: 400,
  invalid_reference: 422,
  policy_violation: 422,
  body_too_large: 413,
  unsupported_media_type: 415,
  unauthenticated: 401,
  forbidden: 403,
  invalid_client: 401,
  master_key_invalid: 500,
  master_key_mismatch: 500,
  not_found: 404,
  route_not_found: 404,
  already_exists: 409,
  task_not_active: 409,
  version_conflict: 412,
  precondition_required: 428,
  storage_unavailable: 503,
  upstream_failed: 502,
  internal: 500,
  approval_not_pending: 409,
  alert_closed: 409,
  rotation_in_progress: 409,
};

const TITLES: Record<KeywardErrorCode, string> = {
  validation_failed: 'Request validation failed',
  invalid_json: 'Malformed JSON body',
  invalid_reference: 'Reference to an unknown record',
  policy_violation: 'Refused by an inventory rule',
  body_too_large: 'Request body too large',
  unsupported_media_type: 'Unsupported media type',
  unauthenticated: 'Authentication required',
  forbidden: 'Not allowed for this role',
  invalid_client: 'Client authentication failed',
  master_key_invalid: 'Master key is malformed',
  master_key_mismatch: 'Master key does not match the stored secrets',
  not_found: 'Not found',
  route_not_found: 'No such endpoint',
  already_exists: 'Already exists',
  task_not_active: 'Task is no longer active',
  version_conflict: 'Version conflict',
  precondition_required: 'Version required',
  storage_unavailable: 'Storage unavailable',
  upstream_failed: 'A brokered system failed',
  internal: 'Internal error',
  approval_not_pending: 'Approval already decided or expired',
  alert_closed: 'Alert already in that state or resolved',
  rotation_in_progress: 'Rotation waiting, overlapping or already past that step',
};

export function problemOf(code: KeywardErrorCode, detail: string, errors?: Problem['errors']): Problem {
  const problem: Problem = {
    type: `https://keyward.dev/problems/${code.replaceAll('_', '-')}`,
    title: TITLES[code],
    status: STATUS[code],
    detail,
    code,
  };
  if (errors && errors.length > 0) problem.errors = errors;
  return problem;
}

/** Maps any thrown value to a problem. Exported for the tests and for non-HTTP faces that want the same text. */
export function toProblem(err: unknown): Problem {
  if (err instanceof KeywardError) return problemOf(err.code, err.message, err.errors);
  if (err instanceof StorageError) {
    switch (err.code) {
      case 'conflict':
        return problemOf('already_exists', err.message);
      case 'version_conflict':
        return problemOf('version_conflict', err.message);
      case 'not_found':
        return problemOf('not_found', err.message);
      case 'invalid_reference':
        return problemOf('invalid_reference', err.message);
      case 'unavailable':
        return problemOf('storage_unavailable', 'the database is unavailable; retry later');
    }
  }
  const fe = err as Partial<FastifyError>;
  if (fe.validation) {
    const context = fe.validationContext ?? 'body';
    const errors = fe.validation.map((v) => ({
      path: `${context === 'body' ? '' : `/${context}`}${v.instancePath || ''}${
        v.keyword === 'additionalProperties'
          ? `/${String((v.params as { additionalProperty?: string }).additionalProperty)}`
          : v.keyword === 'required'
            ? `/${String((v.params as { missingProperty?: string }).missingProperty)}`
            : ''
      }`,
      message: v.keyword === 'additionalProperties' ? 'unknown field' : (v.message ?? 'invalid'),
    }));
    const summary = errors.map((e) => `${e.path || '/'} ${e.message}`).join('; ');
    return problemOf('validation_failed', `invalid ${context}: ${summary}`, errors);
  }
  switch (fe.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return problemOf('invalid_json', 'the request body is not valid JSON');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problemOf('body_too_large', 'the request body exceeds the size limit');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return problemOf('unsupported_media_type', 'send JSON with content-type application/json');
  }
  if (err instanceof SyntaxError && fe.statusCode === 400) {
    return problemOf('invalid_json', 'the request body is not valid JSON');
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { ...problemOf('validation_failed', 'bad request'), status: fe.statusCode };
  }
  return problemOf('internal', 'an unexpected error occurred; it has been logged');
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.code(problem.status).type('application/problem+json').send(problem);
}

export function installProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const problem = toProblem(err);
    problem.instance = request.url.split('?')[0] ?? request.url;
    if (problem.status >= 500) request.log.error({ err }, 'request failed');
    return sendProblem(reply, problem);
  });
  app.setNotFoundHandler((request, reply) => {
    const problem = problemOf(
      'route_not_found',
      `no endpoint ${request.method} ${request.url.split('?')[0]}`,
    );
    return sendProblem(reply, problem);
  });
}
