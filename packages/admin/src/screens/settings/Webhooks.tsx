import { useState } from 'react';
import {
  Badge,
  Button,
  Card,
  Drawer,
  Group,
  MultiSelect,
  PasswordInput,
  SegmentedControl,
  Stack,
  Switch,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import type { Webhook } from '@openarky/contract';
import { must, sdk } from '../../api/client.ts';
import { showFieldError } from '../../api/errors.ts';
import { useSession } from '../../api/session.ts';
import { dateTime } from '../../api/format.ts';
import { FormError } from '../../components/FormError.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { SimpleTable } from '../../components/SimpleTable.tsx';
import { CursorPager, useCursorPager } from '../../components/CursorPager.tsx';

type CreateParams = Parameters<typeof sdk.store.createWebhook>[0];

/** Webhooks, their delivery log and redelivery. */
export function Webhooks() {
  const { storeId } = useSession();
  const [params, setParams] = useSearchParams();
  const open = params.get('open');
  const hooks = useQuery({ queryKey: ['webhooks', storeId], queryFn: () => must(sdk.store.listWebhooks()) });
  const toggle = useMutation({
    mutationFn: (h: Webhook) => must(sdk.store.updateWebhook({ id: h.id, enabled: !h.enabled })),
  });
  const remove = useMutation({ mutationFn: (id: string) => must(sdk.store.deleteWebhook({ id })) });
  const openHook = hooks.data?.find((h) => h.id === open);
  return (
    <Stack>
      <QueryState query={hooks} label="webhooks" isEmpty={(l) => l.length === 0}>
        {(list) => (
          <SimpleTable
            testId="webhooks-table"
            head={['Key', 'URL', 'Events', 'Enabled', '']}
            rows={list.map((h) => ({
              key: h.id,
              cells: [
                h.key,
                h.url,
                h.events.map((e) => e.event).join(', '),
                <Switch
                  key="e"
                  checked={h.enabled}
                  onChange={() => toggle.mutate(h)}
                  aria-label={`Enable ${h.key}`}
                />,
                <Group key="a" gap={4} wrap="nowrap">
                  <Button size="compact-xs" variant="light" onClick={() => setParams({ open: h.id })}>
                    Deliveries of {h.key}
                  </Button>
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    color="red"
                    onClick={() => remove.mutate(h.id)}
                    aria-label={`Delete ${h.key}`}
                  >
                    Delete
                  </Button>
                </Group>,
              ],
            }))}
          />
        )}
      </QueryState>
      <NewWebhook />
      <Drawer
        opened={!!openHook}
        onClose={() => setParams({})}
        position="right"
        size="xl"
        title={openHook ? `Deliveries of ${openHook.key}` : ''}
      >
        {openHook ? <Deliveries hook={openHook} /> : null}
      </Drawer>
    </Stack>
  );
}

function Deliveries({ hook }: { hook: Webhook }) {
  const { storeId } = useSession();
  const [status, setStatus] = useState('');
  const pager = useCursorPager([hook.id, status]);
  const deliveries = useQuery({
    queryKey: ['deliveries', storeId, hook.id, status, pager.cursor],
    queryFn: () =>
      must(
        sdk.store.getWebhookDeliveries({
          id: hook.id,
          limit: 20,
          ...(status ? { status: status as 'failed' } : {}),
          ...(pager.cursor ? { cursor: pager.cursor } : {}),
        }),
      ),
    placeholderData: keepPreviousData,
    refetchInterval: 5000,
  });
  const redeliver = useMutation({
    mutationFn: (deliveryId: string) => must(sdk.store.redeliverWebhook({ id: hook.id, deliveryId })),
    onSuccess: () => notifications.show({ message: 'Delivery queued again' }),
  });
  return (
    <Stack>
      <SegmentedControl
        aria-label="Delivery status"
        data={[
          { value: '', label: 'All' },
          { value: 'pending', label: 'Pending' },
          { value: 'delivered', label: 'Delivered' },
          { value: 'failed', label: 'Failed' },
        ]}
        value={status}
        onChange={setStatus}
      />
      <QueryState
        query={deliveries}
        label="deliveries"
        isEmpty={(p) => p.items.length === 0}
        empty="No deliveries yet."
      >
        {(page) => (
          <>
            <SimpleTable
              testId="deliveries-table"
              minWidth={620}
              head={['Event', 'Status', 'Attempts', 'Last answer', 'Created', '']}
              rows={page.items.map((d) => ({
                key: d.id,
                cells: [
                  d.event,
                  <Badge
                    key="s"
                    color={d.status === 'delivered' ? 'green' : d.status === 'failed' ? 'red' : 'yellow'}
                  >
                    {d.status}
                  </Badge>,
                  d.attempts,
                  d.last_status_code ?? d.last_error ?? '—',
                  dateTime(d.created_at),
                  <Button
                    key="r"
                    size="compact-xs"
                    variant="subtle"
                    loading={redeliver.isPending && redeliver.variables === d.id}
                    onClick={() => redeliver.mutate(d.id)}
                  >
                    Redeliver
                  </Button>,
                ],
              }))}
            />
            <CursorPager pager={pager} page={page} />
          </>
        )}
      </QueryState>
      {redeliver.isError ? <FormError error={redeliver.error} /> : null}
    </Stack>
  );
}

function NewWebhook() {
  const events = useQuery({
    queryKey: ['webhook-events'],
    queryFn: () => must(sdk.platform.getWebhookEvents()),
    staleTime: Infinity,
  });
  const form = useForm({
    initialValues: { key: '', url: '', events: [] as string[], secret: '', enabled: true },
  });
  const create = useMutation({
    mutationFn: (v: typeof form.values) => {
      const body = {
        key: v.key,
        url: v.url,
        events: v.events,
        enabled: v.enabled,
        headers: {},
        ...(v.secret ? { secret: v.secret } : {}),
      };
      // The server generates a signing secret when none is given (the SDK type follows seed 000).
      return must(sdk.store.createWebhook(body as CreateParams));
    },
    onSuccess: () => form.reset(),
    onError: (e) => showFieldError(form, e, ['key', 'url', 'events', 'secret']),
  });
  const test = useMutation({
    mutationFn: (v: typeof form.values) =>
      must(
        sdk.store.testWebhook({
          webhook: { url: v.url, events: v.events, ...(v.secret ? { secret: v.secret } : {}) },
        }),
      ),
  });
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="sm">
        New webhook
      </Title>
      <form onSubmit={form.onSubmit((v) => create.mutate(v))} noValidate>
        <Stack>
          <Group align="flex-end" wrap="wrap">
            <TextInput label="Webhook key" {...form.getInputProps('key')} />
            <TextInput
              label="URL"
              placeholder="https://example.com/hooks"
              w={{ base: '100%', sm: 360 }}
              {...form.getInputProps('url')}
            />
          </Group>
          <MultiSelect
            label="Events"
            searchable
            data={events.data?.data ?? []}
            {...form.getInputProps('events')}
          />
          <PasswordInput
            label="Signing secret"
            description="Optional: generated when empty; never shown again"
            autoComplete="new-password"
            maw={360}
            {...form.getInputProps('secret')}
          />
          <Switch label="Enabled" {...form.getInputProps('enabled', { type: 'checkbox' })} />
          <Group>
            <Button type="submit" loading={create.isPending}>
              Create webhook
            </Button>
            <Button
              variant="default"
              loading={test.isPending}
              onClick={() => test.mutate(form.values)}
              disabled={!form.values.url || !form.values.events.length}
            >
              Send a test
            </Button>
            {test.data ? (
              <Badge color={test.data.tested ? 'green' : 'red'}>
                {test.data.tested
                  ? `Test answered ${test.data.status_code ?? ''}`
                  : `Test failed: ${test.data.error ?? test.data.status_code ?? ''}`}
              </Badge>
            ) : null}
          </Group>
          {create.isError && !Object.keys(form.errors).length ? <FormError error={create.error} /> : null}
          {test.isError ? <FormError error={test.error} /> : null}
        </Stack>
      </form>
    </Card>
  );
}
