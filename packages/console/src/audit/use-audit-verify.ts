/**
 * Runs the chain verification (POST /v1/audit/verify) on mount and on demand. Kept apart from
 * useResource because verification is a POST and its result must never be a stale one: a new run
 * always clears the old answer first, so the banner shows "checking" until the server has answered.
 */
import { useCallback, useEffect, useState } from 'react';
import { ApiError, apiCall } from '../api/api-client.js';
import type { VerifyResult } from './audit-types.js';

export interface VerifyState {
  result: VerifyResult | undefined;
  error: ApiError | undefined;
  checking: boolean;
  checkedAt: string | undefined;
  run: () => void;
}

export function useAuditVerify(): VerifyState {
  const [result, setResult] = useState<VerifyResult>();
  const [error, setError] = useState<ApiError>();
  const [checking, setChecking] = useState(true);
  const [checkedAt, setCheckedAt] = useState<string>();
  const [tick, setTick] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: tick forces a new run
  useEffect(() => {
    const controller = new AbortController();
    setChecking(true);
    setResult(undefined);
    setError(undefined);
    apiCall<VerifyResult>('/v1/audit/verify', { method: 'POST', body: {}, signal: controller.signal })
      .then((r) => {
        setResult(r);
        setCheckedAt(new Date().toISOString());
        setChecking(false);
      })
      .catch((err: unknown) => {
        if ((err as Error).name === 'AbortError') return;
        setError(err instanceof ApiError ? err : new ApiError(0, 'client_error', String(err)));
        setChecking(false);
      });
    return () => controller.abort();
  }, [tick]);

  const run = useCallback(() => setTick((t) => t + 1), []);
  return { result, error, checking, checkedAt, run };
}
