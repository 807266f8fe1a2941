/** IdentityPage: placeholder until built. */
import { PageHeader } from '../ui/layout.js';

export function IdentityPage() {
  return <PageHeader title="identity" />;
}
