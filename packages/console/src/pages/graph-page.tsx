/** GraphPage: placeholder until built. */
import { PageHeader } from '../ui/layout.js';

export function GraphPage() {
  return <PageHeader title="graph" />;
}
