import { Tabs } from '@mantine/core';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { PageHeader } from '../../components/PageHeader.tsx';
import { EntityEdit } from './EntityEdit.tsx';
import { EntityList } from './EntityList.tsx';
import { ReservationCalendar } from './ReservationCalendar.tsx';

const SECTIONS = [
  { path: 'calendar', label: 'Calendar' },
  { path: 'services', label: 'Services' },
  { path: 'providers', label: 'Providers' },
];

/** Bookings: the reservation calendar, services and providers (each with its working time). */
export default function Bookings() {
  const location = useLocation();
  const navigate = useNavigate();
  const current = location.pathname.split('/')[2] ?? 'calendar';
  return (
    <>
      <PageHeader title="Bookings" />
      <Tabs
        value={current}
        onChange={(v) => v && void navigate(`/bookings/${v}`)}
        mb="md"
        keepMounted={false}
      >
        <Tabs.List>
          {SECTIONS.map((s) => (
            <Tabs.Tab key={s.path} value={s.path}>
              {s.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <Routes>
        <Route path="calendar" element={<ReservationCalendar />} />
        <Route path="services" element={<EntityList key="service" kind="service" />} />
        <Route path="services/:id" element={<EntityEdit key="service" kind="service" />} />
        <Route path="providers" element={<EntityList key="provider" kind="provider" />} />
        <Route path="providers/:id" element={<EntityEdit key="provider" kind="provider" />} />
        <Route path="*" element={<Navigate to="calendar" replace />} />
      </Routes>
    </>
  );
}
