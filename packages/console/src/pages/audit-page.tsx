/** AuditPage: placeholder until built. */
import { PageHeader } from '../ui/layout.js';

export function AuditPage() {
  return <PageHeader title="audit" />;
}
