/** InventoryPage: placeholder until built. */
import { PageHeader } from '../ui/layout.js';

export function InventoryPage() {
  return <PageHeader title="inventory" />;
}
