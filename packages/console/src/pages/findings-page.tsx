/** FindingsPage: placeholder until built. */
import { PageHeader } from '../ui/layout.js';

export function FindingsPage() {
  return <PageHeader title="findings" />;
}
