import { Tabs } from '@mantine/core';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { PageHeader } from '../../components/PageHeader.tsx';
import { StoreSettings } from './StoreSettings.tsx';
import { Markets } from './Markets.tsx';
import { Locations } from './Locations.tsx';
import { PromoCodes } from './PromoCodes.tsx';
import { Members } from './Members.tsx';
import { Webhooks } from './Webhooks.tsx';
import { Integrations } from './Integrations.tsx';
import { ApiKeys } from './ApiKeys.tsx';
import { Billing } from './Billing.tsx';

const SECTIONS = [
  { path: 'store', label: 'Store', element: <StoreSettings /> },
  { path: 'markets', label: 'Markets & shipping', element: <Markets /> },
  { path: 'locations', label: 'Locations', element: <Locations /> },
  { path: 'promo-codes', label: 'Promo codes', element: <PromoCodes /> },
  { path: 'members', label: 'Team', element: <Members /> },
  { path: 'webhooks', label: 'Webhooks', element: <Webhooks /> },
  { path: 'integrations', label: 'Integrations', element: <Integrations /> },
  { path: 'api-keys', label: 'API keys', element: <ApiKeys /> },
  { path: 'billing', label: 'Plan & billing', element: <Billing /> },
];

/** Settings sections as tabs; each tab is a URL so it can be linked and reloaded. */
export default function Settings() {
  const location = useLocation();
  const navigate = useNavigate();
  const current = location.pathname.split('/')[2] ?? 'store';
  return (
    <>
      <PageHeader title="Settings" />
      <Tabs
        value={current}
        onChange={(v) => v && void navigate(`/settings/${v}`)}
        mb="md"
        keepMounted={false}
      >
        <Tabs.List style={{ overflowX: 'auto', flexWrap: 'nowrap' }}>
          {SECTIONS.map((s) => (
            <Tabs.Tab key={s.path} value={s.path}>
              {s.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <Routes>
        {SECTIONS.map((s) => (
          <Route key={s.path} path={s.path} element={s.element} />
        ))}
        <Route path="*" element={<Navigate to="store" replace />} />
      </Routes>
    </>
  );
}
