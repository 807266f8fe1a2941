/**
 * The few named errors every storage backend raises. Drivers translate their own failures
 * (SQLITE_CONSTRAINT_UNIQUE, PostgreSQL 23505, connection refused …) into these, so services never
 * see a driver error.
 */

export type StorageErrorCode =
  | 'not_found'
  | 'conflict'
  | 'version_conflict'
  | 'invalid_reference'
  | 'unavailable';

export class StorageError extends Error {
  readonly code: StorageErrorCode;
  constructor(code: StorageErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageError';
    this.code = code;
  }
}

export const isStorageError = (err: unknown, code?: StorageErrorCode): err is StorageError =>
  err instanceof StorageError && (code === undefined || err.code === code);
