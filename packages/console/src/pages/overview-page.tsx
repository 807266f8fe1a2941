/** OverviewPage: placeholder until built. */
import { PageHeader } from '../ui/layout.js';

export function OverviewPage() {
  return <PageHeader title="overview" />;
}
