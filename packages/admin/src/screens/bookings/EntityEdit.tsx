import { useMemo } from 'react';
import { Button, Card, SegmentedControl, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import type { Provider, Service } from '@openarky/contract';
import { must, sdk } from '../../api/client.ts';
import { showFieldError } from '../../api/errors.ts';
import { useSession } from '../../api/session.ts';
import { blockText } from '../../api/format.ts';
import { FormError } from '../../components/FormError.tsx';
import { LocalizedTextTabs } from '../../components/LocalizedTextTabs.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { KIND, type BookingKind } from './EntityList.tsx';
import { LinkEditor } from './LinkEditor.tsx';

const textMap = (e: Service | Provider, key: string): Record<string, string> => {
  const item = e.blocks.find((b) => b.key === key)?.value[0];
  if (typeof item === 'string') return { en: item };
  return item && typeof item === 'object' ? (item as Record<string, string>) : {};
};
const nonEmpty = (m: Record<string, string>) =>
  Object.fromEntries(Object.entries(m).filter(([, v]) => v.trim() !== ''));

/**
 * A service or a provider: key, status, localized name and description, and its links (the
 * providers of a service, the services of a provider) each with prices, durations and hours.
 */
export function EntityEdit({ kind }: { kind: BookingKind }) {
  const { id = '' } = useParams();
  const { storeId } = useSession();
  const setup = useQuery({
    queryKey: ['booking-edit', storeId, kind, id],
    queryFn: async () => {
      const otherKind: BookingKind = kind === 'service' ? 'provider' : 'service';
      const [store, markets, entity, links, others] = await Promise.all([
        must(sdk.store.getStore()),
        must(sdk.market.list()),
        KIND[kind].api().get(id),
        must(sdk.eshop.service.findProviders(kind === 'service' ? { service_id: id } : { provider_id: id })),
        KIND[otherKind].api().find({ limit: 100 }),
      ]);
      return { languages: store.languages.map((l) => l.id), markets, entity, links, others: others.items };
    },
    refetchOnWindowFocus: false,
  });
  return (
    <QueryState query={setup} label={KIND[kind].plural}>
      {(d) => (
        <Stack>
          <EntityForm key={d.entity.updated_at} kind={kind} entity={d.entity} languages={d.languages} />
          <Title order={2} size="h3">
            {kind === 'service' ? 'Providers' : 'Services'}
          </Title>
          {d.links.length === 0 ? (
            <Text c="dimmed" size="sm" data-testid="empty-state">
              {kind === 'service'
                ? 'No provider offers this service yet.'
                : 'This provider offers no service yet.'}
            </Text>
          ) : null}
          {d.links.map((link) => {
            const otherId = kind === 'service' ? link.provider_id : link.service_id;
            const other = d.others.find((o) => o.id === otherId);
            return (
              <LinkEditor
                key={`${link.id}:${link.updated_at}`}
                side={kind === 'service' ? { service_id: id } : { provider_id: id }}
                link={link}
                markets={d.markets}
                choices={[]}
                title={other ? blockText(other.blocks, 'name') || other.key : otherId}
              />
            );
          })}
          <LinkEditor
            side={kind === 'service' ? { service_id: id } : { provider_id: id }}
            markets={d.markets}
            choices={d.others
              .filter(
                (o) => !d.links.some((l) => (kind === 'service' ? l.provider_id : l.service_id) === o.id),
              )
              .map((o) => ({ value: o.id, label: blockText(o.blocks, 'name') || o.key }))}
            title={kind === 'service' ? 'Link a provider' : 'Offer a service'}
          />
        </Stack>
      )}
    </QueryState>
  );
}

function EntityForm({
  kind,
  entity,
  languages,
}: {
  kind: BookingKind;
  entity: Service | Provider;
  languages: string[];
}) {
  const form = useForm({
    initialValues: useMemo(
      () => ({
        key: entity.key,
        status: entity.status,
        name: textMap(entity, 'name'),
        description: textMap(entity, 'description'),
      }),
      [entity],
    ),
  });
  const save = useMutation({
    mutationFn: (v: typeof form.values) => {
      // Blocks other than name and description are kept as they are.
      const kept = entity.blocks.filter((b) => b.key !== 'name' && b.key !== 'description');
      const name = nonEmpty(v.name);
      const description = nonEmpty(v.description);
      const blocks = [
        ...(Object.keys(name).length ? [{ key: 'name', type: 'text', value: [name] }] : []),
        ...(Object.keys(description).length
          ? [{ key: 'description', type: 'markdown', value: [description] }]
          : []),
        ...kept,
      ];
      return KIND[kind].api().update({ id: entity.id, key: v.key.trim(), status: v.status, blocks });
    },
    onSuccess: (saved) => notifications.show({ color: 'green', message: `${saved.key} saved` }),
    onError: (e) =>
      showFieldError(form, e, ['key', 'status', 'name', 'description'], (f) =>
        /^blocks\.0/.test(f) ? 'name' : f.startsWith('blocks') ? 'description' : f,
      ),
  });
  const unclaimed = save.isError && Object.keys(form.errors).length === 0;
  return (
    <form onSubmit={form.onSubmit((v) => save.mutate(v))} noValidate>
      <PageHeader title={`${KIND[kind].title} ${entity.key}`}>
        <Button type="submit" loading={save.isPending}>
          Save {kind}
        </Button>
      </PageHeader>
      {unclaimed ? <FormError error={save.error} /> : null}
      <Card withBorder>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label="Key" required {...form.getInputProps('key')} />
          <Stack gap={4}>
            <Text size="sm" fw={500} id={`${kind}-status-label`}>
              Status
            </Text>
            <SegmentedControl
              aria-labelledby={`${kind}-status-label`}
              data={['active', 'archived']}
              {...form.getInputProps('status')}
            />
          </Stack>
        </SimpleGrid>
        <LocalizedTextTabs form={form} languages={languages} descriptionRows={2} />
      </Card>
    </form>
  );
}
