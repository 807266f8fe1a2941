/** Unknown route: say so and offer the way back. */
import { Link } from 'react-router';
import { PageHeader } from '../ui/layout.js';

export function NotFoundPage() {
  return (
    <>
      <PageHeader title="Not found" />
      <p>
        There is no page here. <Link to="/">Back to the overview</Link>.
      </p>
    </>
  );
}
