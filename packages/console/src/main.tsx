/** Console entry: the router (every page's state lives in its URL, so links can be shared). */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Route, Routes } from 'react-router';
import { useSession } from './api/use-session.js';
import { AlertsPage } from './pages/alerts-page.js';
import { ApprovalsPage } from './pages/approvals-page.js';
import { AuditPage } from './pages/audit-page.js';
import { FindingsPage } from './pages/findings-page.js';
import { GraphPage } from './pages/graph-page.js';
import { IdentityPage } from './pages/identity-page.js';
import { InventoryPage } from './pages/inventory-page.js';
import { NotFoundPage } from './pages/not-found-page.js';
import { OverviewPage } from './pages/overview-page.js';
import { PoliciesPage } from './pages/policies-page.js';
import { SignInPage } from './pages/sign-in-page.js';
import { Layout } from './ui/layout.js';
import './styles.css';

function App() {
  const { session } = useSession();
  if (!session) return <SignInPage />;
  return (
    <Layout>
      <Routes>
        <Route path="/" element={<OverviewPage />} />
        <Route path="/inventory" element={<InventoryPage />} />
        <Route path="/identities/:id" element={<IdentityPage />} />
        <Route path="/graph" element={<GraphPage />} />
        <Route path="/findings" element={<FindingsPage />} />
        <Route path="/findings/:id" element={<FindingsPage />} />
        <Route path="/alerts" element={<AlertsPage />} />
        <Route path="/alerts/:id" element={<AlertsPage />} />
        <Route path="/approvals" element={<ApprovalsPage />} />
        <Route path="/approvals/:id" element={<ApprovalsPage />} />
        <Route path="/audit" element={<AuditPage />} />
        <Route path="/policies" element={<PoliciesPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </Layout>
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('no #root element');
createRoot(root).render(
  <StrictMode>
    <BrowserRouter>
      <App />
    </BrowserRouter>
  </StrictMode>,
);
