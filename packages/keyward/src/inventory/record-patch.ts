/**
 * Shared read-modify-write for versioned records: the caller's version must match the stored one,
 * so two concurrent editors cannot silently overwrite each other.
 */
import { KeywardError } from '../errors.js';

interface Versioned {
  version: number;
  updatedAt: string;
}

/** Merges `patch` (minus `version`) into `current`, ignoring undefined fields; bumps version. */
export function applyPatch<T extends Versioned>(
  current: T,
  patch: Partial<T> & { version: number },
  at: Date,
): T {
  if (patch.version !== current.version) {
    throw new KeywardError(
      'version_conflict',
      `record was modified: you have version ${patch.version}, the current version is ${current.version}; re-read and retry`,
    );
  }
  const next: T = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (key === 'version' || value === undefined) continue;
    (next as Record<string, unknown>)[key] = value;
  }
  next.version = current.version + 1;
  next.updatedAt = at.toISOString();
  return next;
}

/** Lists which fields a patch changed, for the audit record (values are not logged: they may be sensitive). */
export function changedFields(before: object, after: object): string[] {
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  return Object.keys(b).filter(
    (k) => k !== 'version' && k !== 'updatedAt' && JSON.stringify(a[k]) !== JSON.stringify(b[k]),
  );
}
