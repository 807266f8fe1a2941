/**
 * Loads one API resource for a page: loading, data and error states, a reload, optional polling
 * (for "live" views), and cancellation when the path changes so an old answer never overwrites a new one.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, apiCall } from './api-client.js';

export interface Resource<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => void;
}

export function useResource<T>(path: string | null, options: { refreshMs?: number } = {}): Resource<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ApiError>();
  const [loading, setLoading] = useState(path !== null);
  const [tick, setTick] = useState(0);
  const lastPath = useRef<string | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: tick forces a reload
  useEffect(() => {
    if (path === null) {
      setLoading(false);
      return;
    }
    const controller = new AbortController();
    if (lastPath.current !== path) {
      // A new question: show loading instead of the old answer.
      setData(undefined);
      setLoading(true);
    }
    lastPath.current = path;
    setError(undefined);
    apiCall<T>(path, { signal: controller.signal })
      .then((d) => {
        // An answer that lands just as the question changed belongs to the old question.
        if (controller.signal.aborted) return;
        setData(d);
        setLoading(false);
      })
      .catch((err: unknown) => {
        if ((err as Error).name === 'AbortError') return;
        setError(err instanceof ApiError ? err : new ApiError(0, 'client_error', String(err)));
        setLoading(false);
      });
    return () => controller.abort();
  }, [path, tick]);

  useEffect(() => {
    if (!options.refreshMs || path === null) return;
    const timer = setInterval(() => setTick((t) => t + 1), options.refreshMs);
    return () => clearInterval(timer);
  }, [options.refreshMs, path]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}
