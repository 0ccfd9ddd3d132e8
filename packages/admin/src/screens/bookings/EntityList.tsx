import { useState } from 'react';
import { Anchor, Badge, Button, Card, Group, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useForm } from '@mantine/form';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import type { CatalogBlockInput, Provider, Service } from '@openarky/contract';
import type { Page } from '@openarky/sdk';
import { must, sdk } from '../../api/client.ts';
import { showFieldError } from '../../api/errors.ts';
import { useSession } from '../../api/session.ts';
import { blockText } from '../../api/format.ts';
import { CursorPager, useCursorPager } from '../../components/CursorPager.tsx';
import { FormError } from '../../components/FormError.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { SimpleTable } from '../../components/SimpleTable.tsx';

export type BookingKind = 'service' | 'provider';
type Entity = Service | Provider;
type Find = { limit: number; query?: string; cursor?: string };
type Write = { key?: string; status?: Entity['status']; blocks?: CatalogBlockInput[] };

/** The same calls on services and providers (the two SDK namespaces differ only in their types). */
function entityApi(kind: BookingKind) {
  const api = kind === 'service' ? sdk.eshop.service : sdk.eshop.provider;
  return {
    find: (p: Find): Promise<Page<Entity>> => must<Page<Entity>>(api.find(p)),
    get: (id: string): Promise<Entity> => must<Entity>(api.get({ id })),
    create: (p: Write & { key: string }): Promise<Entity> => must<Entity>(api.create(p)),
    update: (p: Write & { id: string }): Promise<Entity> => must<Entity>(api.update(p)),
  };
}

export const KIND = {
  service: { plural: 'services', title: 'Service', api: () => entityApi('service') },
  provider: { plural: 'providers', title: 'Provider', api: () => entityApi('provider') },
} as const;

/** Services or providers: search, cursor paging, and a quick create that opens the new record. */
export function EntityList({ kind }: { kind: BookingKind }) {
  const { storeId } = useSession();
  const { plural, title, api } = KIND[kind];
  const [search, setSearch] = useState('');
  const [query] = useDebouncedValue(search.trim(), 300);
  const pager = useCursorPager([storeId, query, kind]);
  const list = useQuery({
    queryKey: [plural, storeId, query, pager.cursor],
    queryFn: () =>
      api().find({
        limit: 20,
        ...(query ? { query } : {}),
        ...(pager.cursor ? { cursor: pager.cursor } : {}),
      }),
    placeholderData: keepPreviousData,
  });
  const navigate = useNavigate();
  const form = useForm({ initialValues: { key: '', name: '' } });
  const create = useMutation({
    mutationFn: (v: typeof form.values) =>
      api().create({
        key: v.key.trim(),
        ...(v.name.trim() ? { blocks: [{ key: 'name', type: 'text', value: [{ en: v.name.trim() }] }] } : {}),
      }),
    onSuccess: (created) => void navigate(`/bookings/${plural}/${created.id}`),
    onError: (e) => showFieldError(form, e, ['key', 'name'], (f) => (f.startsWith('blocks') ? 'name' : f)),
  });

  return (
    <>
      <TextInput
        label={`Search ${plural}`}
        value={search}
        onChange={(e) => setSearch(e.currentTarget.value)}
        mb="md"
        maw={400}
      />
      <QueryState
        query={list}
        label={plural}
        isEmpty={(p) => p.items.length === 0}
        empty={query ? `No ${kind} matches.` : `No ${plural} yet.`}
      >
        {(page) => (
          <>
            <SimpleTable
              testId={`${plural}-table`}
              head={['Name', 'Key', 'Status']}
              rows={page.items.map((e) => ({
                key: e.id,
                cells: [
                  <Anchor key="n" component={Link} to={`/bookings/${plural}/${e.id}`}>
                    {blockText(e.blocks, 'name') || e.key}
                  </Anchor>,
                  e.key,
                  <Badge key="s" color={e.status === 'active' ? 'green' : 'gray'}>
                    {e.status}
                  </Badge>,
                ],
              }))}
            />
            <Group mt="sm">
              <CursorPager pager={pager} page={page} />
            </Group>
          </>
        )}
      </QueryState>
      <Card withBorder mt="md">
        <Title order={2} size="h4" mb="sm">
          New {kind}
        </Title>
        <form onSubmit={form.onSubmit((v) => create.mutate(v))} noValidate>
          <Group align="flex-end" wrap="wrap">
            <TextInput label={`${title} key`} required {...form.getInputProps('key')} />
            <TextInput label={`${title} name (en)`} {...form.getInputProps('name')} />
            <Button type="submit" loading={create.isPending}>
              Create {kind}
            </Button>
          </Group>
          {create.isError && !Object.keys(form.errors).length ? <FormError error={create.error} /> : null}
        </form>
      </Card>
    </>
  );
}
