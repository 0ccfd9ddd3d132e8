import { useMemo } from 'react';
import {
  Button,
  Card,
  Group,
  NumberInput,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import type { Location, Market, Product } from '@openarky/contract';
import { ArkyError } from '@openarky/sdk';
import { must, sdk } from '../../api/client.ts';
import { showFieldError } from '../../api/errors.ts';
import { useSession } from '../../api/session.ts';
import { FormError } from '../../components/FormError.tsx';
import { LocalizedTextTabs } from '../../components/LocalizedTextTabs.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { MediaPicker } from '../../components/MediaPicker.tsx';
import { emptyVariant, toBody, toValues, type ProductFormValues } from './product-form.ts';

/** Create (`/products/new`) or edit a product. */
export default function ProductEdit() {
  const { id = 'new' } = useParams();
  const { storeId } = useSession();
  const setup = useQuery({
    queryKey: ['product-edit', storeId, id],
    queryFn: async () => {
      const [store, markets, locations, product] = await Promise.all([
        must(sdk.store.getStore()),
        must(sdk.market.list()),
        must(sdk.store.location.list()),
        id === 'new' ? Promise.resolve(undefined) : must(sdk.eshop.product.get({ id })),
      ]);
      return { languages: store.languages.map((l) => l.id), markets, locations, product };
    },
    // The form owns the values once loaded; a background refetch must not reset what is typed.
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
  return (
    <QueryState query={setup} label="product">
      {(d) => <ProductForm key={d.product?.updated_at ?? 'new'} {...d} />}
    </QueryState>
  );
}

function ProductForm({
  languages,
  markets,
  locations,
  product,
}: {
  languages: string[];
  markets: Market[];
  locations: Location[];
  product: Product | undefined;
}) {
  const navigate = useNavigate();
  const form = useForm<ProductFormValues>({
    initialValues: useMemo(() => toValues(product, markets, locations), [product, markets, locations]),
  });
  const save = useMutation({
    mutationFn: async (values: ProductFormValues) => {
      const { body, fieldOf } = toBody(values);
      const res = product
        ? await sdk.eshop.product.update({ id: product.id, ...body })
        : await sdk.eshop.product.create(body);
      if (!res.ok) throw Object.assign(new ArkyError(res.val), { fieldOf });
      return res.val;
    },
    onSuccess: (saved) => {
      notifications.show({ color: 'green', message: `Product ${saved.key} saved` });
      if (!product) void navigate(`/products/${saved.id}`, { replace: true });
    },
    onError: (e) => {
      const fieldOf = (e as { fieldOf?: (f: string) => string }).fieldOf;
      showFieldError(
        form,
        e,
        [
          'key',
          'status',
          'name',
          'description',
          'images',
          'variants.*.sku',
          'variants.*.prices.*.amount',
          'variants.*.inventory.*.available',
          'variants.*.attributes',
          'variants',
        ],
        fieldOf,
      );
    },
  });
  const archive = useMutation({
    mutationFn: (status: 'active' | 'archived') =>
      must(sdk.eshop.product.update({ id: product!.id, status })),
    onSuccess: (p) => form.setFieldValue('status', p.status),
  });
  const locationName = (id: string | null) =>
    id === null ? 'Store-wide' : (locations.find((l) => l.id === id)?.key ?? id);
  const unclaimed = save.isError && Object.keys(form.errors).length === 0;

  return (
    <form onSubmit={form.onSubmit((v) => save.mutate(v))} noValidate>
      <PageHeader title={product ? `Product ${product.key}` : 'New product'}>
        {product ? (
          <Button
            variant="default"
            loading={archive.isPending}
            onClick={() => archive.mutate(form.values.status === 'active' ? 'archived' : 'active')}
          >
            {form.values.status === 'active' ? 'Archive' : 'Unarchive'}
          </Button>
        ) : null}
        <Button type="submit" loading={save.isPending}>
          Save product
        </Button>
      </PageHeader>
      <Stack>
        {unclaimed ? <FormError error={save.error} /> : null}
        <Card withBorder>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label="Key"
              description="Unique in the store; the slug is made from it"
              required
              {...form.getInputProps('key')}
            />
            <Stack gap={4}>
              <Text size="sm" fw={500} id="status-label">
                Status
              </Text>
              <SegmentedControl
                aria-labelledby="status-label"
                data={['active', 'archived']}
                {...form.getInputProps('status')}
              />
            </Stack>
          </SimpleGrid>
          <LocalizedTextTabs form={form} languages={languages} descriptionRows={3} />
        </Card>
        <Card withBorder>
          <Title order={2} size="h4" mb="sm">
            Images
          </Title>
          <MediaPicker
            value={form.values.images}
            onChange={(ids) => form.setFieldValue('images', ids)}
            error={form.errors.images}
          />
        </Card>
        {form.values.variants.map((variant, vi) => (
          <Card withBorder key={variant.id ?? `new-${vi}`} data-testid={`variant-${vi}`}>
            <Group justify="space-between" mb="sm">
              <Title order={2} size="h4">
                Variant {vi + 1}
              </Title>
              <Button
                variant="subtle"
                color="red"
                size="xs"
                disabled={form.values.variants.length === 1}
                onClick={() => form.removeListItem('variants', vi)}
              >
                Remove variant {vi + 1}
              </Button>
            </Group>
            <Stack>
              <TextInput label="SKU" {...form.getInputProps(`variants.${vi}.sku`)} />
              <div>
                <Text size="sm" fw={500} mb={4}>
                  Prices
                </Text>
                <SimpleGrid cols={{ base: 1, sm: 3 }}>
                  {variant.prices.map((p, pi) => (
                    <NumberInput
                      key={p.market}
                      label={`Price ${p.market.toUpperCase()} (${p.currency})`}
                      min={0}
                      decimalScale={2}
                      rightSection={<Text size="xs">{p.currency}</Text>}
                      rightSectionWidth={44}
                      {...form.getInputProps(`variants.${vi}.prices.${pi}.amount`)}
                    />
                  ))}
                </SimpleGrid>
              </div>
              <div>
                <Text size="sm" fw={500} mb={4}>
                  Stock (-1 = unlimited)
                </Text>
                <SimpleGrid cols={{ base: 1, sm: 3 }}>
                  {variant.inventory.map((l, li) => (
                    <NumberInput
                      key={l.location_id ?? 'store'}
                      label={`Stock ${locationName(l.location_id)}`}
                      min={-1}
                      allowDecimal={false}
                      {...form.getInputProps(`variants.${vi}.inventory.${li}.available`)}
                    />
                  ))}
                </SimpleGrid>
              </div>
              <div>
                <Text size="sm" fw={500} mb={4}>
                  Attributes
                </Text>
                <Stack gap="xs">
                  {variant.attributes.map((_a, ai) => (
                    <Group key={ai} align="flex-end" wrap="wrap">
                      <TextInput
                        label="Attribute"
                        placeholder="size"
                        {...form.getInputProps(`variants.${vi}.attributes.${ai}.key`)}
                      />
                      <TextInput
                        label="Value"
                        placeholder="M"
                        {...form.getInputProps(`variants.${vi}.attributes.${ai}.value`)}
                      />
                      <Button
                        variant="subtle"
                        color="red"
                        size="xs"
                        onClick={() => form.removeListItem(`variants.${vi}.attributes`, ai)}
                      >
                        Remove
                      </Button>
                    </Group>
                  ))}
                  <Button
                    variant="light"
                    size="xs"
                    w="fit-content"
                    onClick={() => form.insertListItem(`variants.${vi}.attributes`, { key: '', value: '' })}
                  >
                    Add attribute
                  </Button>
                </Stack>
              </div>
            </Stack>
          </Card>
        ))}
        <Button
          variant="light"
          w="fit-content"
          onClick={() => form.insertListItem('variants', emptyVariant(markets, locations))}
        >
          Add variant
        </Button>
      </Stack>
    </form>
  );
}
