import 'react-big-calendar/lib/css/react-big-calendar.css';
import './calendar.css';
import { useState } from 'react';
import { Alert, Group, Loader, Select, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { Calendar, dayjsLocalizer, Views, type View } from 'react-big-calendar';
import { useNavigate, useSearchParams } from 'react-router';
import type { Reservation } from '@openarky/contract';
import { must, sdk } from '../../api/client.ts';
import { errorMessage } from '../../api/errors.ts';
import { useSession } from '../../api/session.ts';
import { blockText } from '../../api/format.ts';

const localizer = dayjsLocalizer(dayjs);

/** The unix range a view shows around `date` (weeks start on the locale's first day). */
export function viewRange(view: View, date: Date): { from: number; to: number } {
  const unit = view === Views.DAY ? 'day' : 'week';
  const start = dayjs(date).startOf(unit);
  return { from: start.unix(), to: start.add(1, unit).unix() };
}

interface CalendarEvent {
  title: string;
  start: Date;
  end: Date;
  reservation: Reservation;
}

/**
 * Reservations of one provider by day or week (react-big-calendar's time grid). Cancelled ones are
 * left out; a click opens the order. Times are shown in the browser's time zone.
 */
export function ReservationCalendar() {
  const { storeId } = useSession();
  const navigate = useNavigate();
  // `?date=YYYY-MM-DD&view=day` opens the calendar there (links from elsewhere, reloads).
  const [params] = useSearchParams();
  const [view, setView] = useState<View>(params.get('view') === 'day' ? Views.DAY : Views.WEEK);
  const [date, setDate] = useState(() => {
    const at = params.get('date');
    return at && dayjs(at).isValid() ? dayjs(at).toDate() : new Date();
  });
  const [providerId, setProviderId] = useState<string | null>(null);

  const lookups = useQuery({
    queryKey: ['calendar-lookups', storeId],
    queryFn: async () => {
      const [providers, services] = await Promise.all([
        must(sdk.eshop.provider.find({ limit: 100 })),
        must(sdk.eshop.service.find({ limit: 100 })),
      ]);
      return { providers: providers.items, services: services.items };
    },
  });
  const provider = providerId ?? lookups.data?.providers[0]?.id ?? null;
  const range = viewRange(view, date);
  const reservations = useQuery({
    queryKey: ['reservations', storeId, provider, range.from, range.to],
    enabled: !!provider,
    queryFn: async () => {
      const rows: Reservation[] = [];
      for await (const r of sdk.eshop.service.findReservations({
        provider_ids: [provider!],
        from: range.from,
        to: range.to,
        item_statuses: ['pending', 'confirmed'],
        sort_field: 'from',
        sort_direction: 'asc',
        limit: 100,
      }))
        rows.push(r);
      return rows;
    },
  });
  const serviceName = (id: string) => {
    const s = lookups.data?.services.find((x) => x.id === id);
    return s ? blockText(s.blocks, 'name') || s.key : id;
  };
  const events: CalendarEvent[] = (reservations.data ?? []).map((r) => ({
    title: `${serviceName(r.service_id)} · #${r.order_number}${r.status.status === 'pending' ? ' (pending)' : ''}`,
    start: new Date(r.from * 1000),
    end: new Date(r.to * 1000),
    reservation: r,
  }));

  if (lookups.isError)
    return (
      <Alert color="red" title="Could not load providers">
        {errorMessage(lookups.error)}
      </Alert>
    );
  if (lookups.data && lookups.data.providers.length === 0)
    return (
      <Text c="dimmed" data-testid="empty-state">
        No providers yet: create one to see its reservations.
      </Text>
    );
  return (
    <>
      <Group mb="sm" align="flex-end">
        <Select
          label="Provider"
          allowDeselect={false}
          data={(lookups.data?.providers ?? []).map((p) => ({
            value: p.id,
            label: blockText(p.blocks, 'name') || p.key,
          }))}
          value={provider}
          onChange={setProviderId}
          w={260}
        />
        {reservations.isFetching || lookups.isPending ? (
          <Loader size="xs" aria-label="Loading reservations" />
        ) : null}
        <Text size="sm" c="dimmed" aria-live="polite" data-testid="reservation-count">
          {reservations.data ? `${events.length} reservations` : ''}
        </Text>
      </Group>
      {reservations.isError ? (
        <Alert color="red" title="Could not load reservations" role="alert">
          {errorMessage(reservations.error)}
        </Alert>
      ) : null}
      <div style={{ height: 640 }} data-testid="reservation-calendar">
        <Calendar<CalendarEvent>
          localizer={localizer}
          events={events}
          views={[Views.DAY, Views.WEEK]}
          view={view}
          onView={setView}
          date={date}
          onNavigate={setDate}
          scrollToTime={dayjs(date).hour(8).minute(0).toDate()}
          onSelectEvent={(e) => void navigate(`/orders/${e.reservation.order_id}`)}
          tooltipAccessor={(e) =>
            `${e.title} ${dayjs(e.start).format('HH:mm')}–${dayjs(e.end).format('HH:mm')}`
          }
        />
      </div>
    </>
  );
}
