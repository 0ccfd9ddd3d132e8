import {
  Badge,
  Button,
  Card,
  Group,
  NumberInput,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Timeline,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import type { Order } from '@openarky/contract';
import { must, sdk } from '../../api/client.ts';
import { apiError, showFieldError } from '../../api/errors.ts';
import { useSession } from '../../api/session.ts';
import { dateTime, money, toMajor, toMinor } from '../../api/format.ts';
import { FormError } from '../../components/FormError.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { allowedActions, refundable, STATUS_COLOR } from './order-status.ts';

/** One order: lines, payment, history, the allowed transitions and partial refunds. */
export default function OrderDetail() {
  const { id = '' } = useParams();
  const { storeId } = useSession();
  const order = useQuery({
    queryKey: ['order', storeId, id],
    queryFn: () => must(sdk.eshop.order.get({ id })),
  });
  return (
    <QueryState query={order} label="order">
      {(o) => <OrderView order={o} />}
    </QueryState>
  );
}

const itemName = (snapshot: Record<string, unknown>, fallback: string): string => {
  const name = snapshot.name ?? snapshot.title;
  if (typeof name === 'string') return name;
  if (name && typeof name === 'object') return String(Object.values(name)[0] ?? fallback);
  return typeof snapshot.key === 'string' ? snapshot.key : fallback;
};

function OrderView({ order }: { order: Order }) {
  const cur = order.payment.currency;
  const transition = useMutation({
    mutationFn: (body: Record<string, unknown>) => must(sdk.eshop.order.update({ id: order.id, ...body })),
    onSuccess: (o) =>
      notifications.show({ color: 'green', message: `Order #${o.number} is ${o.workflow_status}` }),
  });
  return (
    <Stack>
      <PageHeader title={`Order #${order.number}`}>
        <Badge size="lg" color={STATUS_COLOR[order.workflow_status]} data-testid="order-status">
          {order.workflow_status}
        </Badge>
        {allowedActions(order).map((a) => (
          <Button
            key={a.label}
            color={a.color}
            variant={a.color ? 'light' : 'filled'}
            loading={transition.isPending && transition.variables === a.body}
            onClick={() => transition.mutate(a.body)}
          >
            {a.label}
          </Button>
        ))}
      </PageHeader>
      {transition.isError ? <FormError error={transition.error} /> : null}
      <Card withBorder>
        <Title order={2} size="h4" mb="sm">
          Lines
        </Title>
        <Table.ScrollContainer minWidth={520} scrollAreaProps={{ viewportProps: { tabIndex: 0 } }}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Item</Table.Th>
                <Table.Th>Qty</Table.Th>
                <Table.Th ta="right">Unit</Table.Th>
                <Table.Th ta="right">Total</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {order.items.map((i) => (
                <Table.Tr key={i.id}>
                  <Table.Td>{itemName(i.snapshot, i.variant_id ?? i.id)}</Table.Td>
                  <Table.Td>{i.quantity}</Table.Td>
                  <Table.Td ta="right">{money(i.unit_price, cur)}</Table.Td>
                  <Table.Td ta="right">{money(i.total, cur)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder>
          <Title order={2} size="h4" mb="sm">
            Payment
          </Title>
          <Stack gap={2}>
            <Text size="sm">
              Method: {order.payment.method_type} · market {order.payment.market.toUpperCase()}
            </Text>
            <Text size="sm">Subtotal: {money(order.payment.subtotal, cur)}</Text>
            <Text size="sm">Discount: {money(order.payment.discount, cur)}</Text>
            <Text size="sm">Shipping: {money(order.payment.shipping, cur)}</Text>
            <Text size="sm" fw={700}>
              Total: {money(order.payment.total, cur)} · paid {money(order.payment.paid, cur)}
            </Text>
            {order.payment.refunds.map((r) => (
              <Text size="sm" key={r.id} data-testid="refund-row">
                Refund {money(r.total, cur)} · {r.status} · {dateTime(r.created_at)}
              </Text>
            ))}
          </Stack>
          <RefundForm order={order} />
        </Card>
        <Card withBorder>
          <Title order={2} size="h4" mb="sm">
            History
          </Title>
          <Timeline bulletSize={14} lineWidth={2} active={order.history.length}>
            {order.history.map((h, i) => (
              <Timeline.Item key={i} title={h.action}>
                <Text size="xs" c="dimmed">
                  {dateTime(h.timestamp)}
                  {h.reason ? ` · ${h.reason}` : ''}
                </Text>
              </Timeline.Item>
            ))}
          </Timeline>
        </Card>
      </SimpleGrid>
    </Stack>
  );
}

function RefundForm({ order }: { order: Order }) {
  const cur = order.payment.currency;
  const left = refundable(order);
  const form = useForm<{ amount: number | '' }>({ initialValues: { amount: '' } });
  const refund = useMutation({
    mutationFn: (amount: number) => must(sdk.eshop.order.processRefund({ id: order.id, amount })),
    onSuccess: (o) => {
      form.reset();
      notifications.show({
        color: 'green',
        message: `Refunded; ${money(refundable(o), cur)} left to refund`,
      });
    },
    // refund_exceeds_captured carries no field: it belongs to the amount all the same.
    onError: (e) => {
      const api = apiError(e);
      if (!showFieldError(form, e, ['amount']) && api) form.setFieldError('amount', api.message);
    },
  });
  if (left <= 0)
    return (
      <Text size="sm" mt="md">
        Nothing left to refund.
      </Text>
    );
  return (
    <form
      onSubmit={form.onSubmit((v) => {
        if (v.amount !== '') refund.mutate(toMinor(Number(v.amount), cur));
      })}
      noValidate
    >
      <Group align="flex-end" mt="md" wrap="wrap">
        <NumberInput
          label="Refund amount"
          description={<span data-testid="refundable">Refundable: {money(left, cur)}</span>}
          min={0}
          max={toMajor(left, cur)}
          decimalScale={2}
          rightSection={<Text size="xs">{cur}</Text>}
          rightSectionWidth={44}
          {...form.getInputProps('amount')}
        />
        <Button type="submit" variant="light" loading={refund.isPending}>
          Refund
        </Button>
      </Group>
    </form>
  );
}
