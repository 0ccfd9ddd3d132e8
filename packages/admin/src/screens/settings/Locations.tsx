import { Button, Card, Checkbox, Group, SimpleGrid, Stack, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQuery } from '@tanstack/react-query';
import { must, sdk } from '../../api/client.ts';
import { showFieldError } from '../../api/errors.ts';
import { useSession } from '../../api/session.ts';
import { FormError } from '../../components/FormError.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { SimpleTable } from '../../components/SimpleTable.tsx';

const ADDRESS = ['name', 'street1', 'city', 'state', 'postal_code', 'country'] as const;

/** Warehouses, shops and pickup points. */
export function Locations() {
  const { storeId } = useSession();
  const locations = useQuery({
    queryKey: ['locations', storeId],
    queryFn: () => must(sdk.store.location.list()),
  });
  const remove = useMutation({ mutationFn: (id: string) => must(sdk.store.location.delete({ id })) });
  const form = useForm({
    initialValues: {
      key: '',
      is_pickup_location: false,
      address: { name: '', street1: '', city: '', state: '', postal_code: '', country: '' },
    },
  });
  const create = useMutation({
    mutationFn: (v: typeof form.values) =>
      must(
        sdk.store.location.create({
          ...v,
          address: Object.fromEntries(Object.entries(v.address).filter(([, x]) => x.trim())),
        }),
      ),
    onSuccess: () => form.reset(),
    onError: (e) =>
      showFieldError(form, e, [
        'key',
        'is_pickup_location',
        ...ADDRESS.map((a) => `address.${a}`),
        'address',
      ]),
  });
  return (
    <Stack>
      <QueryState query={locations} label="locations" isEmpty={(l) => l.length === 0}>
        {(list) => (
          <SimpleTable
            head={['Key', 'Address', 'Pickup', '']}
            rows={list.map((l) => ({
              key: l.id,
              cells: [
                l.key,
                [l.address.street1, l.address.city, l.address.country].filter(Boolean).join(', ') || '—',
                l.is_pickup_location ? 'Yes' : 'No',
                <Button
                  key="d"
                  size="compact-xs"
                  variant="subtle"
                  color="red"
                  onClick={() => remove.mutate(l.id)}
                  aria-label={`Delete location ${l.key}`}
                >
                  Delete
                </Button>,
              ],
            }))}
          />
        )}
      </QueryState>
      {remove.isError ? <FormError error={remove.error} /> : null}
      <Card withBorder>
        <Title order={2} size="h4" mb="sm">
          Add a location
        </Title>
        <form onSubmit={form.onSubmit((v) => create.mutate(v))} noValidate>
          <Stack>
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <TextInput label="Location key" {...form.getInputProps('key')} />
              {ADDRESS.map((a) => (
                <TextInput
                  key={a}
                  label={
                    a === 'street1'
                      ? 'Street'
                      : a === 'postal_code'
                        ? 'Postal code'
                        : a[0]!.toUpperCase() + a.slice(1)
                  }
                  {...form.getInputProps(`address.${a}`)}
                />
              ))}
            </SimpleGrid>
            <Group>
              <Checkbox
                label="Pickup location"
                {...form.getInputProps('is_pickup_location', { type: 'checkbox' })}
              />
              <Button type="submit" loading={create.isPending}>
                Add location
              </Button>
            </Group>
            {create.isError && !Object.keys(form.errors).length ? <FormError error={create.error} /> : null}
          </Stack>
        </form>
      </Card>
    </Stack>
  );
}
