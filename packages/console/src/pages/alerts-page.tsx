/** AlertsPage: placeholder until built. */
import { PageHeader } from '../ui/layout.js';

export function AlertsPage() {
  return <PageHeader title="alerts" />;
}
