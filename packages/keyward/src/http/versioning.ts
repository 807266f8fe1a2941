/**
 * Optimistic concurrency over HTTP: responses carry `ETag: "<version>"`; updates name the version
 * they read, in the body (`version`) or as `If-Match`. An update that names none is refused (428),
 * so no client can overwrite blindly.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { KeywardError } from '../errors.js';

export function setEtag(reply: FastifyReply, record: { version: number }): void {
  reply.header('etag', `"${record.version}"`);
}

export function requestedVersion(request: FastifyRequest, bodyVersion: number | undefined): number {
  if (bodyVersion !== undefined) return bodyVersion;
  const ifMatch = request.headers['if-match'];
  if (typeof ifMatch === 'string') {
    const m = /^(?:W\/)?"?(\d+)"?$/.exec(ifMatch.trim());
    if (m?.[1]) return Number(m[1]);
    throw new KeywardError('validation_failed', 'If-Match must be the ETag you read, e.g. "3"');
  }
  throw new KeywardError(
    'precondition_required',
    'name the version you read: "version" in the body or If-Match',
  );
}
