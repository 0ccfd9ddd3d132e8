import { Button, Group, Modal, MultiSelect, NumberInput, SimpleGrid, Stack } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { useMutation, useQuery } from '@tanstack/react-query';
import dayjs from 'dayjs';
import type { Condition, PromoCode } from '@openarky/contract';
import { must, sdk } from '../../api/client.ts';
import { showFieldError } from '../../api/errors.ts';
import { useSession } from '../../api/session.ts';
import { blockText, toMajor, toMinor } from '../../api/format.ts';
import { FormError } from '../../components/FormError.tsx';

interface Values {
  min_order_amount: number | '';
  dates: [string | null, string | null];
  max_uses: number | '';
  max_uses_per_user: number | '';
  products: string[];
  services: string[];
}

const find = <T extends Condition['type']>(cs: Condition[], type: T) =>
  cs.find((c): c is Extract<Condition, { type: T }> => c.type === type);

/** Form values of a code's conditions; the minimum amount is in `currency`. */
export function toConditionValues(cs: Condition[], currency: string): Values {
  const range = find(cs, 'date_range')?.value.value;
  const day = (unix: number | null | undefined) => (unix ? dayjs.unix(unix).format('YYYY-MM-DD') : null);
  const min = find(cs, 'min_order_amount')?.value.value;
  return {
    min_order_amount: min === undefined ? '' : toMajor(min, currency),
    dates: [day(range?.start), day(range?.end)],
    max_uses: find(cs, 'max_uses')?.value.value ?? '',
    max_uses_per_user: find(cs, 'max_uses_per_user')?.value.value ?? '',
    products: find(cs, 'products')?.value.value ?? [],
    services: find(cs, 'services')?.value.value ?? [],
  };
}

/** The conditions array of the values (empty fields are no condition). The range ends at the end of its last day. */
export function toConditions(v: Values, currency: string): Condition[] {
  const out: Condition[] = [];
  if (v.min_order_amount !== '')
    out.push({
      type: 'min_order_amount',
      value: { type: 'amount', value: toMinor(Number(v.min_order_amount), currency) },
    });
  const [start, end] = v.dates;
  if (start || end)
    out.push({
      type: 'date_range',
      value: {
        type: 'date_range',
        value: {
          start: start ? dayjs(start).startOf('day').unix() : null,
          end: end ? dayjs(end).endOf('day').unix() : null,
        },
      },
    });
  if (v.max_uses !== '') out.push({ type: 'max_uses', value: { type: 'count', value: Number(v.max_uses) } });
  if (v.max_uses_per_user !== '')
    out.push({ type: 'max_uses_per_user', value: { type: 'count', value: Number(v.max_uses_per_user) } });
  if (v.products.length) out.push({ type: 'products', value: { type: 'ids', value: v.products } });
  if (v.services.length) out.push({ type: 'services', value: { type: 'ids', value: v.services } });
  return out;
}

/** A dialog editing the conditions of one promo code (minimum order, dates, use limits, what it applies to). */
export function PromoConditions({
  code,
  currency,
  onClose,
}: {
  code: PromoCode;
  currency: string;
  onClose: () => void;
}) {
  const { storeId } = useSession();
  const choices = useQuery({
    queryKey: ['promo-condition-choices', storeId],
    queryFn: async () => {
      const [products, services] = await Promise.all([
        must(sdk.eshop.product.find({ limit: 100 })),
        must(sdk.eshop.service.find({ limit: 100 })),
      ]);
      const label = (e: { id: string; key: string; blocks: { key: string; value: unknown[] }[] }) => ({
        value: e.id,
        label: blockText(e.blocks, 'name') || e.key,
      });
      return { products: products.items.map(label), services: services.items.map(label) };
    },
  });
  const form = useForm<Values>({ initialValues: toConditionValues(code.conditions, currency) });
  const save = useMutation({
    mutationFn: (v: Values) =>
      must(sdk.promoCode.updatePromoCode({ id: code.id, conditions: toConditions(v, currency) })),
    onSuccess: onClose,
    onError: (e) => showFieldError(form, e, ['conditions']),
  });
  return (
    <Modal opened onClose={onClose} title={`Conditions of ${code.code}`} size="lg">
      <form onSubmit={form.onSubmit((v) => save.mutate(v))} noValidate>
        <Stack>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <NumberInput
              label={`Minimum order (${currency})`}
              min={0}
              decimalScale={2}
              {...form.getInputProps('min_order_amount')}
            />
            <DatePickerInput
              type="range"
              label="Valid from – to"
              placeholder="Any time"
              allowSingleDateInRange
              clearable
              clearButtonProps={{ 'aria-label': 'Clear dates' }}
              {...form.getInputProps('dates')}
            />
            <NumberInput label="Uses in total at most" min={0} {...form.getInputProps('max_uses')} />
            <NumberInput
              label="Uses per customer at most"
              min={0}
              {...form.getInputProps('max_uses_per_user')}
            />
          </SimpleGrid>
          <MultiSelect
            label="Only these products"
            placeholder="Any product"
            searchable
            data={choices.data?.products ?? []}
            {...form.getInputProps('products')}
          />
          <MultiSelect
            label="Only these services"
            placeholder="Any service"
            searchable
            data={choices.data?.services ?? []}
            {...form.getInputProps('services')}
          />
          {save.isError ? <FormError error={save.error} /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              Save conditions
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
