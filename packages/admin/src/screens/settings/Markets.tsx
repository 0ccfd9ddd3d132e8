import {
  Accordion,
  Button,
  Card,
  Checkbox,
  Group,
  NumberInput,
  Select,
  Stack,
  TagsInput,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery } from '@tanstack/react-query';
import type { Market } from '@openarky/contract';
import { must, sdk } from '../../api/client.ts';
import { showFieldError } from '../../api/errors.ts';
import { useSession } from '../../api/session.ts';
import { toMajor, toMinor } from '../../api/format.ts';
import { FormError } from '../../components/FormError.tsx';
import { QueryState } from '../../components/QueryState.tsx';

/** Markets with their tax, payment methods, zones and shipping methods. */
export function Markets() {
  const { storeId } = useSession();
  const markets = useQuery({ queryKey: ['markets', storeId], queryFn: () => must(sdk.market.list()) });
  return (
    <Stack>
      <QueryState query={markets} label="markets" isEmpty={(m) => m.length === 0}>
        {(list) => (
          <Accordion variant="separated" multiple defaultValue={[list[0]?.id ?? '']}>
            {list.map((m) => (
              <Accordion.Item key={m.id} value={m.id} data-testid={`market-${m.key}`}>
                <Accordion.Control>
                  Market {m.key.toUpperCase()} · {m.currency} · {m.zones.length} zones
                </Accordion.Control>
                <Accordion.Panel>
                  <MarketForm key={m.updated_at} market={m} />
                </Accordion.Panel>
              </Accordion.Item>
            ))}
          </Accordion>
        )}
      </QueryState>
      <NewMarket />
    </Stack>
  );
}

interface ZoneValues {
  id?: string;
  name: string;
  countries: string[];
  tax_bps: number | '';
  shipping_methods: {
    id?: string;
    name: string;
    type: 'shipping' | 'pickup';
    amount: number | '';
    free_above: number | '';
    eta_text: string;
  }[];
}

function MarketForm({ market }: { market: Market }) {
  const cur = market.currency;
  const form = useForm({
    initialValues: {
      tax_mode: market.tax_mode,
      tax_bps: market.tax_bps,
      cash: market.payment_methods.some((p) => p.id === 'cash'),
      card: market.payment_methods.some((p) => p.id === 'credit_card'),
      zones: market.zones.map<ZoneValues>((z) => ({
        id: z.id,
        name: z.name ?? '',
        countries: z.countries,
        tax_bps: z.tax_bps ?? '',
        shipping_methods: z.shipping_methods.map((s) => ({
          id: s.id,
          name: s.name ?? '',
          type: s.type,
          amount: toMajor(s.amount, cur),
          free_above: s.free_above == null ? '' : toMajor(s.free_above, cur),
          eta_text: s.eta_text,
        })),
      })),
    },
  });
  const save = useMutation({
    mutationFn: (v: typeof form.values) =>
      must(
        sdk.market.update({
          id: market.id,
          tax_mode: v.tax_mode,
          tax_bps: v.tax_bps,
          payment_methods: [
            ...(v.cash ? [{ id: 'cash' as const }] : []),
            ...(v.card ? [{ id: 'credit_card' as const }] : []),
          ],
          zones: v.zones.map((z) => ({
            ...(z.id ? { id: z.id } : {}),
            name: z.name || null,
            countries: z.countries.map((c) => c.toUpperCase()),
            tax_bps: z.tax_bps === '' ? null : z.tax_bps,
            shipping_methods: z.shipping_methods.map((s) => ({
              ...(s.id ? { id: s.id } : {}),
              name: s.name || null,
              type: s.type,
              eta_text: s.eta_text,
              amount: toMinor(Number(s.amount || 0), cur),
              free_above: s.free_above === '' ? null : toMinor(Number(s.free_above), cur),
            })),
          })),
        }),
      ),
    onSuccess: () => notifications.show({ color: 'green', message: `Market ${market.key} saved` }),
    onError: (e) =>
      showFieldError(form, e, [
        'tax_mode',
        'tax_bps',
        'payment_methods',
        'zones.*.name',
        'zones.*.countries',
        'zones.*.tax_bps',
        'zones.*.shipping_methods.*.name',
        'zones.*.shipping_methods.*.amount',
        'zones.*.shipping_methods.*.free_above',
        'zones',
      ]),
  });
  return (
    <form onSubmit={form.onSubmit((v) => save.mutate(v))} noValidate>
      <Stack>
        <Group align="flex-end" wrap="wrap">
          <Select
            label="Tax mode"
            data={['exclusive', 'inclusive']}
            allowDeselect={false}
            {...form.getInputProps('tax_mode')}
          />
          <NumberInput
            label="Tax rate (basis points)"
            description="700 = 7%"
            min={0}
            max={10000}
            allowDecimal={false}
            {...form.getInputProps('tax_bps')}
          />
          <Checkbox label="Cash" {...form.getInputProps('cash', { type: 'checkbox' })} />
          <Checkbox label="Card (Stripe)" {...form.getInputProps('card', { type: 'checkbox' })} />
        </Group>
        {form.values.zones.map((z, zi) => (
          <Card withBorder key={z.id ?? `new-${zi}`}>
            <Group justify="space-between" mb="xs">
              <Title order={3} size="h5">
                Zone {z.name || zi + 1}
              </Title>
              <Button variant="subtle" color="red" size="xs" onClick={() => form.removeListItem('zones', zi)}>
                Remove zone
              </Button>
            </Group>
            <Group align="flex-end" wrap="wrap">
              <TextInput label="Zone name" {...form.getInputProps(`zones.${zi}.name`)} />
              <TagsInput
                label="Countries"
                description="ISO codes, e.g. US, CA"
                {...form.getInputProps(`zones.${zi}.countries`)}
              />
              <NumberInput
                label="Zone tax (bps)"
                min={0}
                max={10000}
                allowDecimal={false}
                {...form.getInputProps(`zones.${zi}.tax_bps`)}
              />
            </Group>
            <Text size="sm" fw={500} mt="sm">
              Shipping methods
            </Text>
            {z.shipping_methods.map((s, si) => (
              <Group key={s.id ?? `new-${si}`} align="flex-end" wrap="wrap" mt="xs">
                <TextInput
                  label="Method name"
                  {...form.getInputProps(`zones.${zi}.shipping_methods.${si}.name`)}
                />
                <Select
                  label="Type"
                  data={['shipping', 'pickup']}
                  allowDeselect={false}
                  w={120}
                  {...form.getInputProps(`zones.${zi}.shipping_methods.${si}.type`)}
                />
                <NumberInput
                  label={`Price (${cur})`}
                  min={0}
                  decimalScale={2}
                  w={120}
                  {...form.getInputProps(`zones.${zi}.shipping_methods.${si}.amount`)}
                />
                <NumberInput
                  label={`Free above (${cur})`}
                  min={0}
                  decimalScale={2}
                  w={140}
                  {...form.getInputProps(`zones.${zi}.shipping_methods.${si}.free_above`)}
                />
                <TextInput
                  label="ETA"
                  placeholder="2-4 days"
                  w={120}
                  {...form.getInputProps(`zones.${zi}.shipping_methods.${si}.eta_text`)}
                />
                <Button
                  variant="subtle"
                  color="red"
                  size="xs"
                  onClick={() => form.removeListItem(`zones.${zi}.shipping_methods`, si)}
                >
                  Remove
                </Button>
              </Group>
            ))}
            <Button
              variant="light"
              size="xs"
              mt="xs"
              w="fit-content"
              onClick={() =>
                form.insertListItem(`zones.${zi}.shipping_methods`, {
                  name: '',
                  type: 'shipping',
                  amount: '',
                  free_above: '',
                  eta_text: '',
                })
              }
            >
              Add shipping method
            </Button>
          </Card>
        ))}
        <Group>
          <Button
            variant="light"
            onClick={() =>
              form.insertListItem('zones', {
                name: '',
                countries: [],
                tax_bps: '',
                shipping_methods: [],
              } satisfies ZoneValues)
            }
          >
            Add zone
          </Button>
          <Button type="submit" loading={save.isPending}>
            Save market {market.key.toUpperCase()}
          </Button>
        </Group>
        {save.isError && !Object.keys(form.errors).length ? <FormError error={save.error} /> : null}
      </Stack>
    </form>
  );
}

function NewMarket() {
  const form = useForm({
    initialValues: { key: '', currency: '', tax_mode: 'exclusive' as 'exclusive' | 'inclusive' },
  });
  const create = useMutation({
    mutationFn: (v: typeof form.values) =>
      must(
        sdk.market.create({ ...v, currency: v.currency.toUpperCase(), payment_methods: [{ id: 'cash' }] }),
      ),
    onSuccess: () => form.reset(),
    onError: (e) => showFieldError(form, e, ['key', 'currency', 'tax_mode']),
  });
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="sm">
        Add a market
      </Title>
      <form onSubmit={form.onSubmit((v) => create.mutate(v))} noValidate>
        <Group align="flex-end" wrap="wrap">
          <TextInput label="Market key" placeholder="uk" {...form.getInputProps('key')} />
          <TextInput label="Currency" placeholder="GBP" maxLength={3} {...form.getInputProps('currency')} />
          <Select
            label="Tax mode"
            data={['exclusive', 'inclusive']}
            allowDeselect={false}
            {...form.getInputProps('tax_mode')}
          />
          <Button type="submit" loading={create.isPending}>
            Add market
          </Button>
        </Group>
        {create.isError && !Object.keys(form.errors).length ? <FormError error={create.error} /> : null}
      </form>
    </Card>
  );
}
