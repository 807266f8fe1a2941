/** PoliciesPage: placeholder until built. */
import { PageHeader } from '../ui/layout.js';

export function PoliciesPage() {
  return <PageHeader title="policies" />;
}
