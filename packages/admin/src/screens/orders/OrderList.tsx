import { useState } from 'react';
import { Anchor, Badge, Group, MultiSelect, Table, TextInput } from '@mantine/core';
import { DatePickerInput, type DatesRangeValue } from '@mantine/dates';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { Link } from 'react-router';
import type { Order } from '@openarky/contract';
import { must, sdk } from '../../api/client.ts';
import { useSession } from '../../api/session.ts';
import { dateTime, money } from '../../api/format.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { CursorPager, useCursorPager } from '../../components/CursorPager.tsx';
import { STATUS_COLOR } from './order-status.ts';

const STATUSES: Order['workflow_status'][] = [
  'created',
  'pending',
  'authorized',
  'confirmed',
  'shipped',
  'completed',
  'cancelled',
  'failed',
];

/** Orders filtered by status and date, searched by number or email, newest first. */
export default function OrderList() {
  const { storeId } = useSession();
  const [statuses, setStatuses] = useState<string[]>([]);
  const [range, setRange] = useState<DatesRangeValue<string>>([null, null]);
  const [search, setSearch] = useState('');
  const [query] = useDebouncedValue(search.trim(), 300);
  const [from, to] = range;
  const filters = {
    ...(statuses.length ? { workflow_statuses: statuses as Order['workflow_status'][] } : {}),
    ...(from ? { created_at_from: dayjs(from).startOf('day').unix() } : {}),
    ...(to ? { created_at_to: dayjs(to).endOf('day').unix() } : {}),
    ...(query ? { query } : {}),
  };
  const pager = useCursorPager([storeId, filters]);
  const orders = useQuery({
    queryKey: ['orders', storeId, filters, pager.cursor],
    queryFn: () =>
      must(
        sdk.eshop.order.find({
          limit: 20,
          sort_direction: 'desc',
          ...filters,
          ...(pager.cursor ? { cursor: pager.cursor } : {}),
        }),
      ),
    placeholderData: keepPreviousData,
  });

  return (
    <>
      <PageHeader title="Orders" />
      <Group mb="md" align="flex-end" wrap="wrap">
        <TextInput
          label="Search"
          placeholder="Order number or email"
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          w={{ base: '100%', sm: 240 }}
        />
        <MultiSelect
          label="Status"
          placeholder="Any status"
          data={STATUSES}
          value={statuses}
          onChange={setStatuses}
          clearable
          w={{ base: '100%', sm: 280 }}
        />
        <DatePickerInput
          type="range"
          label="Placed between"
          placeholder="Any date"
          value={range}
          onChange={setRange}
          clearable
          w={{ base: '100%', sm: 260 }}
        />
      </Group>
      <QueryState
        query={orders}
        label="orders"
        isEmpty={(p) => p.items.length === 0}
        empty="No orders match."
      >
        {(page) => (
          <>
            <Table.ScrollContainer minWidth={640} scrollAreaProps={{ viewportProps: { tabIndex: 0 } }}>
              <Table striped highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Number</Table.Th>
                    <Table.Th>Placed</Table.Th>
                    <Table.Th>Customer</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th ta="right">Total</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {page.items.map((o) => (
                    <Table.Tr key={o.id} data-testid="order-row">
                      <Table.Td>
                        <Anchor component={Link} to={`/orders/${o.id}`}>
                          #{o.number}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>{dateTime(o.created_at)}</Table.Td>
                      <Table.Td>
                        {o.billing_address?.email ??
                          o.shipping_address?.email ??
                          o.shipping_address?.name ??
                          '—'}
                      </Table.Td>
                      <Table.Td>
                        <Badge color={STATUS_COLOR[o.workflow_status]}>{o.workflow_status}</Badge>
                      </Table.Td>
                      <Table.Td ta="right">{money(o.payment.total, o.payment.currency)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Group mt="sm">
              <CursorPager pager={pager} page={page} />
            </Group>
          </>
        )}
      </QueryState>
    </>
  );
}
