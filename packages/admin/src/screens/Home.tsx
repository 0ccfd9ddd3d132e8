import { useState } from 'react';
import { Anchor, Card, Group, SegmentedControl, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { BarChart } from '@mantine/charts';
import { useQuery } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { Link } from 'react-router';
import type { CatalogBlock, Order, WebhookDelivery } from '@openarky/contract';
import { must, sdk } from '../api/client.ts';
import { useSession } from '../api/session.ts';
import { blockText, dateTime, money, toMajor } from '../api/format.ts';
import { QueryState } from '../components/QueryState.tsx';
import { SimpleTable } from '../components/SimpleTable.tsx';

const DAYS = 30;
// A home page must stay fast on a busy store: past this many orders the chart says it is partial.
const MAX_ORDERS = 2000;

interface MarketStats {
  market: string;
  currency: string;
  todayOrders: number;
  todayRevenue: number;
  orders: number;
  revenue: number;
}

/** Counts orders per day and market, revenue (total minus refunds) per day and market. */
export function summarize(orders: Order[], now = dayjs()) {
  const days = Array.from({ length: DAYS }, (_, i) => now.subtract(DAYS - 1 - i, 'day').format('MM-DD'));
  const today = now.format('MM-DD');
  const markets = new Map<string, MarketStats>();
  const perDay = new Map(days.map((d) => [d, {} as Record<string, number>]));
  const revenuePerDay = new Map(days.map((d) => [d, {} as Record<string, number>]));
  for (const o of orders) {
    if (o.workflow_status === 'cancelled' || o.workflow_status === 'failed') continue;
    const day = dayjs.unix(o.created_at).format('MM-DD');
    const refunded = o.payment.refunds.filter((r) => r.status !== 'failed').reduce((a, r) => a + r.total, 0);
    const revenue = o.payment.total - refunded;
    const m = markets.get(o.payment.market) ?? {
      market: o.payment.market,
      currency: o.payment.currency,
      todayOrders: 0,
      todayRevenue: 0,
      orders: 0,
      revenue: 0,
    };
    m.orders += 1;
    m.revenue += revenue;
    if (day === today) {
      m.todayOrders += 1;
      m.todayRevenue += revenue;
    }
    markets.set(o.payment.market, m);
    const bucket = perDay.get(day);
    if (bucket) bucket[o.payment.market] = (bucket[o.payment.market] ?? 0) + 1;
    const rBucket = revenuePerDay.get(day);
    if (rBucket)
      rBucket[o.payment.market] = (rBucket[o.payment.market] ?? 0) + toMajor(revenue, o.payment.currency);
  }
  return {
    markets: [...markets.values()],
    ordersChart: days.map((d) => ({ day: d, ...perDay.get(d) })),
    revenueChart: days.map((d) => ({ day: d, ...revenuePerDay.get(d) })),
  };
}

const COLORS = ['indigo.6', 'teal.6', 'orange.6', 'grape.6', 'cyan.6', 'pink.6'];

export default function Home() {
  const { storeId } = useSession();
  const stats = useQuery({
    queryKey: ['home', 'orders', storeId],
    queryFn: async () => {
      const from = dayjs()
        .subtract(DAYS - 1, 'day')
        .startOf('day')
        .unix();
      const orders: Order[] = [];
      for await (const o of sdk.eshop.order.find({ created_at_from: from, limit: 100 })) {
        orders.push(o);
        if (orders.length >= MAX_ORDERS) break;
      }
      return { ...summarize(orders), partial: orders.length >= MAX_ORDERS };
    },
  });

  return (
    <Stack>
      <Title order={1} size="h2">
        Home
      </Title>
      <QueryState
        query={stats}
        label="sales"
        isEmpty={(d) => d.markets.length === 0}
        empty="No orders in the last 30 days."
      >
        {(d) => <Sales data={d} />}
      </QueryState>
      <WebhookFailures />
      <UpcomingReservations />
    </Stack>
  );
}

function Sales({ data }: { data: ReturnType<typeof summarize> & { partial: boolean } }) {
  const [market, setMarket] = useState(data.markets[0]?.market ?? '');
  const series = data.markets.map((m, i) => ({
    name: m.market,
    color: COLORS[i % COLORS.length]!,
    label: m.market.toUpperCase(),
  }));
  const chosen = data.markets.find((m) => m.market === market) ?? data.markets[0];
  return (
    <Stack>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
        {data.markets.map((m) => (
          <Card withBorder key={m.market} data-testid={`market-stats-${m.market}`}>
            <Text size="sm" c="dimmed">
              Market {m.market.toUpperCase()} ({m.currency})
            </Text>
            <Text fw={700} size="lg">
              {money(m.todayRevenue, m.currency)} today · {m.todayOrders} orders
            </Text>
            <Text size="sm">
              {money(m.revenue, m.currency)} in 30 days · {m.orders} orders
            </Text>
          </Card>
        ))}
      </SimpleGrid>
      <Card withBorder>
        <Title order={2} size="h4" mb="sm">
          Orders per day and market{data.partial ? ' (latest orders only)' : ''}
        </Title>
        <BarChart h={260} data={data.ordersChart} dataKey="day" type="stacked" series={series} withLegend />
      </Card>
      {chosen ? (
        <Card withBorder>
          <Group justify="space-between" mb="sm">
            <Title order={2} size="h4">
              Revenue per day ({chosen.currency})
            </Title>
            {data.markets.length > 1 ? (
              <SegmentedControl
                aria-label="Market"
                data={data.markets.map((m) => ({ value: m.market, label: m.market.toUpperCase() }))}
                value={chosen.market}
                onChange={setMarket}
              />
            ) : null}
          </Group>
          <BarChart
            h={220}
            data={data.revenueChart}
            dataKey="day"
            series={[{ name: chosen.market, color: 'teal.6', label: chosen.currency }]}
            valueFormatter={(v) => v.toFixed(2)}
          />
        </Card>
      ) : null}
    </Stack>
  );
}

function UpcomingReservations() {
  const { storeId } = useSession();
  const upcoming = useQuery({
    queryKey: ['home', 'reservations', storeId],
    queryFn: async () => {
      const [page, services, providers] = await Promise.all([
        must(
          sdk.eshop.service.findReservations({
            from: dayjs().unix(),
            item_statuses: ['pending', 'confirmed'],
            sort_field: 'from',
            sort_direction: 'asc',
            limit: 10,
          }),
        ),
        must(sdk.eshop.service.find({ limit: 100 })),
        must(sdk.eshop.provider.find({ limit: 100 })),
      ]);
      const name = (list: { id: string; key: string; blocks: CatalogBlock[] }[], id: string | null) => {
        const e = list.find((x) => x.id === id);
        return e ? blockText(e.blocks, 'name') || e.key : (id ?? '—');
      };
      return page.items.map((r) => ({
        ...r,
        service: name(services.items, r.service_id),
        provider: name(providers.items, r.provider_id),
      }));
    },
  });
  return (
    <Card withBorder>
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4">
          Upcoming reservations
        </Title>
        <Anchor component={Link} to="/bookings/calendar" size="sm">
          Calendar
        </Anchor>
      </Group>
      <QueryState
        query={upcoming}
        label="reservations"
        isEmpty={(d) => d.length === 0}
        empty="No upcoming reservations."
      >
        {(rows) => (
          <SimpleTable
            testId="upcoming-reservations"
            minWidth={500}
            head={['When', 'Service', 'Provider', 'Order']}
            rows={rows.map((r) => ({
              key: r.id,
              cells: [
                dateTime(r.from),
                r.service,
                r.provider,
                <Anchor key="o" component={Link} to={`/orders/${r.order_id}`}>
                  #{r.order_number}
                </Anchor>,
              ],
            }))}
          />
        )}
      </QueryState>
    </Card>
  );
}

function WebhookFailures() {
  const { storeId } = useSession();
  const failures = useQuery({
    queryKey: ['home', 'webhook-failures', storeId],
    queryFn: async () => {
      const hooks = await must(sdk.store.listWebhooks());
      const pages = await Promise.all(
        hooks.map(async (h) => ({
          hook: h,
          page: await must(sdk.store.getWebhookDeliveries({ id: h.id, status: 'failed', limit: 5 })),
        })),
      );
      return pages
        .flatMap(({ hook, page }) => page.items.map((d: WebhookDelivery) => ({ hook, d })))
        .sort((a, b) => b.d.created_at - a.d.created_at)
        .slice(0, 10);
    },
  });
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="xs">
        Recent webhook failures
      </Title>
      <QueryState
        query={failures}
        label="webhook failures"
        isEmpty={(d) => d.length === 0}
        empty="No failed webhook deliveries."
      >
        {(rows) => (
          <Table.ScrollContainer minWidth={500} scrollAreaProps={{ viewportProps: { tabIndex: 0 } }}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Webhook</Table.Th>
                  <Table.Th>Event</Table.Th>
                  <Table.Th>Last answer</Table.Th>
                  <Table.Th>When</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map(({ hook, d }) => (
                  <Table.Tr key={d.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/settings/webhooks?open=${hook.id}`}>
                        {hook.key}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{d.event}</Table.Td>
                    <Table.Td>{d.last_status_code ?? d.last_error ?? '—'}</Table.Td>
                    <Table.Td>{dateTime(d.created_at)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryState>
    </Card>
  );
}
