/** ApprovalsPage: placeholder until built. */
import { PageHeader } from '../ui/layout.js';

export function ApprovalsPage() {
  return <PageHeader title="approvals" />;
}
