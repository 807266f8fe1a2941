/** Loading, empty and error states, the same on every page. */
import type { ReactNode } from 'react';
import type { ApiError } from '../api/api-client.js';

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {what}…
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="state state-empty">{children}</div>;
}

export function ErrorBox({ error, onRetry }: { error: ApiError | Error; onRetry?: () => void }) {
  const code = 'code' in error ? (error as ApiError).code : undefined;
  return (
    <div className="state state-error" role="alert">
      <strong>Something went wrong{code ? ` (${code})` : ''}:</strong> {error.message}
      {onRetry ? (
        <button type="button" className="btn btn-small" onClick={onRetry}>
          Retry
        </button>
      ) : null}
    </div>
  );
}

/** Renders loading / error / content for one useResource result. */
export function Loaded<T>({
  resource,
  children,
  what,
}: {
  resource: { data: T | undefined; error: ApiError | undefined; loading: boolean; reload: () => void };
  children: (data: T) => ReactNode;
  what?: string;
}) {
  if (resource.error) return <ErrorBox error={resource.error} onRetry={resource.reload} />;
  if (resource.data === undefined) return resource.loading ? <Loading what={what} /> : null;
  return <>{children(resource.data)}</>;
}
