import { useState } from 'react';
import { Badge, Button, Card, Group, NumberInput, Select, Stack, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQuery } from '@tanstack/react-query';
import type { Discount, PromoCode } from '@openarky/contract';
import { must, sdk } from '../../api/client.ts';
import { showFieldError } from '../../api/errors.ts';
import { useSession } from '../../api/session.ts';
import { money, toMinor } from '../../api/format.ts';
import { FormError } from '../../components/FormError.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { SimpleTable } from '../../components/SimpleTable.tsx';
import { PromoConditions } from './PromoConditions.tsx';

const describe = (d: Discount, currency: (m: string) => string) =>
  d.type === 'items_fixed'
    ? `${money(d.amount, currency(d.market_id))} off items (${d.market_id})`
    : `${d.bps / 100}% off ${d.type === 'items_percentage' ? 'items' : 'shipping'} (${d.market_id})`;

/** Promo codes: one discount per market at creation; conditions edited in a dialog per code. */
export function PromoCodes() {
  const { storeId } = useSession();
  const codes = useQuery({
    queryKey: ['promo-codes', storeId],
    queryFn: () => must(sdk.promoCode.getPromoCodes({ limit: 100 })),
  });
  const markets = useQuery({ queryKey: ['markets', storeId], queryFn: () => must(sdk.market.list()) });
  const currency = (key: string) => markets.data?.find((m) => m.key === key)?.currency ?? 'USD';
  const toggle = useMutation({
    mutationFn: (p: { id: string; status: 'active' | 'archived' }) => must(sdk.promoCode.updatePromoCode(p)),
  });
  const remove = useMutation({ mutationFn: (id: string) => must(sdk.promoCode.deletePromoCode({ id })) });
  const [editing, setEditing] = useState<PromoCode | null>(null);
  const form = useForm({
    initialValues: {
      code: '',
      type: 'items_percentage' as Discount['type'],
      market_id: 'us',
      value: 10 as number | '',
    },
  });
  const create = useMutation({
    mutationFn: (v: typeof form.values) => {
      const n = Number(v.value || 0);
      const discount: Discount =
        v.type === 'items_fixed'
          ? { type: v.type, market_id: v.market_id, amount: toMinor(n, currency(v.market_id)) }
          : { type: v.type, market_id: v.market_id, bps: Math.round(n * 100) };
      return must(sdk.promoCode.createPromoCode({ code: v.code, discounts: [discount], conditions: [] }));
    },
    onSuccess: () => form.reset(),
    onError: (e) =>
      showFieldError(form, e, ['code', 'value', 'market_id'], (f) =>
        f.startsWith('discounts.0.market') ? 'market_id' : f.startsWith('discounts') ? 'value' : f,
      ),
  });
  return (
    <Stack>
      <QueryState query={codes} label="promo codes" isEmpty={(p) => p.items.length === 0}>
        {(page) => (
          <SimpleTable
            head={['Code', 'Discount', 'Conditions', 'Uses', 'Status', '']}
            rows={page.items.map((p) => ({
              key: p.id,
              cells: [
                p.code,
                p.discounts.map((d) => describe(d, currency)).join('; '),
                p.conditions.length
                  ? p.conditions.map((c) => c.type.replaceAll('_', ' ')).join(', ')
                  : 'none',
                p.uses,
                <Badge key="s" color={p.status === 'active' ? 'green' : 'gray'}>
                  {p.status}
                </Badge>,
                <Group key="a" gap={4} wrap="nowrap">
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    onClick={() => setEditing(p)}
                    aria-label={`Conditions of ${p.code}`}
                  >
                    Conditions
                  </Button>
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    onClick={() =>
                      toggle.mutate({ id: p.id, status: p.status === 'active' ? 'archived' : 'active' })
                    }
                  >
                    {p.status === 'active' ? 'Archive' : 'Activate'}
                  </Button>
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    color="red"
                    onClick={() => remove.mutate(p.id)}
                    aria-label={`Delete ${p.code}`}
                  >
                    Delete
                  </Button>
                </Group>,
              ],
            }))}
          />
        )}
      </QueryState>
      {editing ? (
        <PromoConditions
          code={editing}
          currency={currency(editing.discounts[0]?.market_id ?? 'us')}
          onClose={() => setEditing(null)}
        />
      ) : null}
      <Card withBorder>
        <Title order={2} size="h4" mb="sm">
          New promo code
        </Title>
        <form onSubmit={form.onSubmit((v) => create.mutate(v))} noValidate>
          <Group align="flex-end" wrap="wrap">
            <TextInput label="Code" {...form.getInputProps('code')} />
            <Select
              label="Discount"
              allowDeselect={false}
              data={[
                { value: 'items_percentage', label: '% off items' },
                { value: 'items_fixed', label: 'Amount off items' },
                { value: 'shipping_percentage', label: '% off shipping' },
              ]}
              {...form.getInputProps('type')}
            />
            <Select
              label="Market"
              allowDeselect={false}
              data={(markets.data ?? []).map((m) => ({
                value: m.key,
                label: `${m.key.toUpperCase()} (${m.currency})`,
              }))}
              {...form.getInputProps('market_id')}
            />
            <NumberInput
              label={
                form.values.type === 'items_fixed' ? `Amount (${currency(form.values.market_id)})` : 'Percent'
              }
              min={0}
              decimalScale={2}
              {...form.getInputProps('value')}
            />
            <Button type="submit" loading={create.isPending}>
              Create code
            </Button>
          </Group>
          {create.isError && !Object.keys(form.errors).length ? <FormError error={create.error} /> : null}
        </form>
      </Card>
    </Stack>
  );
}
