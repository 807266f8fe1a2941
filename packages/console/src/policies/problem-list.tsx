/**
 * A policy validation error, said plainly: the server joins every problem (each naming its line and
 * column) into one detail, so it is split back into a list here.
 */
import type { ApiError } from '../api/api-client.js';

export function ProblemList({ error }: { error: ApiError }) {
  const prefix = 'the policy set is invalid: ';
  const problems =
    error.code === 'validation_failed' && error.detail.startsWith(prefix)
      ? error.detail.slice(prefix.length).split('; ')
      : [error.detail];
  return (
    <div className="state state-error policy-problems" role="alert" data-testid="policy-error">
      <strong>
        {error.code === 'validation_failed' ? 'The policy set is invalid:' : `Failed (${error.code}):`}
      </strong>
      <ul>
        {problems.map((p) => (
          <li key={p} className="mono">
            {p}
          </li>
        ))}
      </ul>
    </div>
  );
}
