import { useMemo } from 'react';
import {
  ActionIcon,
  Button,
  Card,
  Checkbox,
  Group,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import type { Market, ServiceProvider } from '@openarky/contract';
import { ArkyError } from '@openarky/sdk';
import { must, sdk } from '../../api/client.ts';
import { showFieldError } from '../../api/errors.ts';
import { FormError } from '../../components/FormError.tsx';
import { WorkingTime } from './WorkingTime.tsx';
import { emptyLink, LINK_FIELDS, toLinkBody, toLinkValues, type LinkFormValues } from './link-form.ts';

/** One side of a link is fixed by the screen (the service or the provider being edited). */
export type LinkSide = { service_id: string } | { provider_id: string };

/**
 * A provider's terms for a service: prices per market, durations, slot interval, capacity and the
 * working time. With no `link` it creates one, choosing the other side from `choices`.
 */
export function LinkEditor({
  side,
  link,
  markets,
  choices,
  title,
  onDone,
}: {
  side: LinkSide;
  link?: ServiceProvider;
  markets: Market[];
  choices: { value: string; label: string }[];
  title: string;
  onDone?: () => void;
}) {
  const other = 'service_id' in side ? 'provider_id' : 'service_id';
  const form = useForm<LinkFormValues & { other: string }>({
    initialValues: useMemo(
      () => ({ ...(link ? toLinkValues(link, markets) : emptyLink(markets)), other: '' }),
      [link, markets],
    ),
  });
  const save = useMutation({
    mutationFn: async (v: LinkFormValues & { other: string }) => {
      const { body, fieldOf } = toLinkBody(v);
      const res = link
        ? await sdk.eshop.service.updateProvider({ id: link.id, ...body })
        : await sdk.eshop.service.createProvider({ ...body, ...side, [other]: v.other } as Parameters<
            typeof sdk.eshop.service.createProvider
          >[0]);
      if (!res.ok) throw Object.assign(new ArkyError(res.val), { fieldOf });
      return res.val;
    },
    onSuccess: () => {
      notifications.show({ color: 'green', message: `${title} saved` });
      if (!link) form.reset();
      onDone?.();
    },
    onError: (e) => {
      const fieldOf = (e as { fieldOf?: (f: string) => string }).fieldOf ?? ((f: string) => f);
      showFieldError(form, e, [...LINK_FIELDS, 'other'], (f) => (f === other ? 'other' : fieldOf(f)));
    },
  });
  const remove = useMutation({
    mutationFn: () => must(sdk.eshop.service.deleteProvider({ id: link!.id })),
  });
  const unclaimed = save.isError && Object.keys(form.errors).length === 0;

  return (
    <Card withBorder data-testid="link-editor">
      <form onSubmit={form.onSubmit((v) => save.mutate(v))} noValidate>
        <Stack>
          <Group justify="space-between">
            <Title order={3} size="h4">
              {title}
            </Title>
            <Group gap="xs">
              {link ? (
                <Button
                  variant="subtle"
                  color="red"
                  loading={remove.isPending}
                  onClick={() => remove.mutate()}
                >
                  Unlink
                </Button>
              ) : null}
              <Button type="submit" loading={save.isPending}>
                {link ? 'Save hours and prices' : 'Link'}
              </Button>
            </Group>
          </Group>
          {unclaimed ? <FormError error={save.error} /> : null}
          {remove.isError ? <FormError error={remove.error} /> : null}
          {link ? null : (
            <Select
              label={other === 'provider_id' ? 'Provider' : 'Service'}
              placeholder="Choose"
              data={choices}
              required
              maw={320}
              {...form.getInputProps('other')}
            />
          )}
          <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
            {form.values.prices.map((p, i) => (
              <NumberInput
                key={p.market}
                label={`Price ${p.market.toUpperCase()} (${p.currency})`}
                min={0}
                decimalScale={2}
                {...form.getInputProps(`prices.${i}.amount`)}
              />
            ))}
            <NumberInput
              label="Slot interval (minutes)"
              description="0 = the slot length"
              min={0}
              max={1440}
              {...form.getInputProps('slot_interval')}
            />
            <NumberInput label="Capacity" min={1} {...form.getInputProps('capacity')} />
          </SimpleGrid>
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              Durations
            </Text>
            {form.values.durations.map((_, i) => (
              <Group key={i} gap="xs" align="center">
                <NumberInput
                  aria-label={`Duration ${i + 1} (minutes)`}
                  min={1}
                  max={1440}
                  w={120}
                  suffix=" min"
                  {...form.getInputProps(`durations.${i}.duration`)}
                />
                <Checkbox
                  label="Pause"
                  {...form.getInputProps(`durations.${i}.is_pause`, { type: 'checkbox' })}
                />
                {form.values.durations.length > 1 ? (
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    aria-label={`Remove duration ${i + 1}`}
                    onClick={() => form.removeListItem('durations', i)}
                  >
                    ×
                  </ActionIcon>
                ) : null}
              </Group>
            ))}
            {form.errors.durations ? (
              <Text size="xs" c="red" role="alert">
                {form.errors.durations}
              </Text>
            ) : null}
            <Button
              size="compact-xs"
              variant="subtle"
              w="fit-content"
              onClick={() => form.insertListItem('durations', { duration: 15, is_pause: true })}
            >
              + duration
            </Button>
          </Stack>
          <WorkingTime form={form} />
        </Stack>
      </form>
    </Card>
  );
}
