import {
  Badge,
  Button,
  Card,
  Group,
  PasswordInput,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery } from '@tanstack/react-query';
import type { Integration } from '@openarky/contract';
import { must, sdk } from '../../api/client.ts';
import { showFieldError } from '../../api/errors.ts';
import { useSession } from '../../api/session.ts';
import { FormError } from '../../components/FormError.tsx';
import { QueryState } from '../../components/QueryState.tsx';

interface Field {
  name: string;
  secret?: boolean;
  required?: boolean;
}

/** Fields per provider type (CONTRACT §10.3); secrets are write-only. Unlisted types take an API key. */
const FIELDS: Record<string, Field[]> = {
  stripe: [
    { name: 'secret_key', secret: true, required: true },
    { name: 'publishable_key', required: true },
    { name: 'webhook_secret', secret: true },
    { name: 'currency', required: true },
  ],
  shippo: [{ name: 'api_token', secret: true, required: true }],
  google: [
    { name: 'client_id', required: true },
    { name: 'client_secret', secret: true, required: true },
    { name: 'scopes' },
  ],
  telegram_bot: [{ name: 'bot_token', secret: true, required: true }, { name: 'action' }],
  open_ai: [{ name: 'api_key', secret: true, required: true }, { name: 'model' }],
  deep_seek: [{ name: 'api_key', secret: true, required: true }, { name: 'model' }],
  twilio: [
    { name: 'account_sid', required: true },
    { name: 'auth_token', secret: true, required: true },
  ],
  vercel_deploy_hook: [{ name: 'url', secret: true, required: true }],
  netlify_deploy_hook: [{ name: 'url', secret: true, required: true }],
  cloudflare_deploy_hook: [{ name: 'url', secret: true, required: true }],
  custom_deploy_hook: [{ name: 'url', secret: true, required: true }],
};
const fieldsOf = (type: string): Field[] =>
  FIELDS[type] ?? [{ name: 'api_key', secret: true, required: true }];
const label = (name: string) => name.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());

/** Integrations; secret fields are never shown, only whether they are set, and can be replaced. */
export function Integrations() {
  const { storeId } = useSession();
  const list = useQuery({
    queryKey: ['integrations', storeId],
    queryFn: () => must(sdk.store.listIntegrations()),
  });
  return (
    <Stack>
      <QueryState query={list} label="integrations" isEmpty={(l) => l.length === 0}>
        {(items) => (
          <Stack>
            {items.map((i) => (
              <IntegrationCard key={`${i.id}-${i.updated_at}`} integration={i} />
            ))}
          </Stack>
        )}
      </QueryState>
      <NewIntegration />
    </Stack>
  );
}

function IntegrationCard({ integration }: { integration: Integration }) {
  const type = integration.provider.type;
  const fields = fieldsOf(type);
  const provider = integration.provider as Record<string, unknown>;
  const form = useForm({
    initialValues: Object.fromEntries(
      fields.map((f) => [f.name, f.secret ? '' : String(provider[f.name] ?? '')]),
    ) as Record<string, string>,
  });
  const save = useMutation({
    // Same type merges: an empty secret is left out and keeps its stored value.
    mutationFn: (v: Record<string, string>) =>
      must(
        sdk.store.updateIntegration({
          id: integration.id,
          provider: { type, ...Object.fromEntries(Object.entries(v).filter(([, x]) => x !== '')) },
        }),
      ),
    onSuccess: () => notifications.show({ color: 'green', message: `Integration ${integration.key} saved` }),
    onError: (e) =>
      showFieldError(
        form,
        e,
        fields.map((f) => f.name),
        (f) => f.replace(/^provider\./, ''),
      ),
  });
  const remove = useMutation({ mutationFn: () => must(sdk.store.deleteIntegration({ id: integration.id })) });
  return (
    <Card withBorder>
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h5">
          {integration.key} · {type} <Badge>{integration.category}</Badge>
        </Title>
        <Button size="xs" variant="subtle" color="red" onClick={() => remove.mutate()}>
          Delete
        </Button>
      </Group>
      <form onSubmit={form.onSubmit((v) => save.mutate(v))} noValidate>
        <Group align="flex-end" wrap="wrap">
          {fields.map((f) =>
            f.secret ? (
              <PasswordInput
                key={f.name}
                label={label(f.name)}
                description={f.required ? 'Set · type to replace' : 'Write-only · type to set or replace'}
                placeholder="••••••••"
                autoComplete="new-password"
                {...form.getInputProps(f.name)}
              />
            ) : (
              <TextInput key={f.name} label={label(f.name)} {...form.getInputProps(f.name)} />
            ),
          )}
          <Button type="submit" variant="light" loading={save.isPending}>
            Save
          </Button>
        </Group>
        {save.isError && !Object.keys(form.errors).length ? <FormError error={save.error} /> : null}
      </form>
    </Card>
  );
}

function NewIntegration() {
  const services = useQuery({
    queryKey: ['integration-services'],
    queryFn: () => must(sdk.platform.getIntegrationServices()),
    staleTime: Infinity,
  });
  const form = useForm<{ key: string; type: string; values: Record<string, string> }>({
    initialValues: { key: '', type: 'stripe', values: {} },
  });
  const fields = fieldsOf(form.values.type);
  const create = useMutation({
    mutationFn: (v: typeof form.values) =>
      must(
        sdk.store.createIntegration({
          key: v.key,
          provider: {
            type: v.type,
            ...Object.fromEntries(
              Object.entries(v.values).filter(([k, x]) => x !== '' && fields.some((f) => f.name === k)),
            ),
          },
        }),
      ),
    onSuccess: () => form.reset(),
    onError: (e) =>
      showFieldError(form, e, ['key', 'type', ...fields.map((f) => `values.${f.name}`)], (f) =>
        f.replace(/^provider\.type$/, 'type').replace(/^provider\./, 'values.'),
      ),
  });
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="sm">
        Connect an integration
      </Title>
      <form onSubmit={form.onSubmit((v) => create.mutate(v))} noValidate>
        <Stack>
          <Group align="flex-end" wrap="wrap">
            <TextInput label="Integration key" {...form.getInputProps('key')} />
            <Select
              label="Type"
              searchable
              allowDeselect={false}
              data={(services.data ?? [{ id: 'stripe', name: 'Stripe' }]).map((s) => ({
                value: s.id,
                label: s.name,
              }))}
              {...form.getInputProps('type')}
            />
          </Group>
          <Group align="flex-end" wrap="wrap">
            {fields.map((f) =>
              f.secret ? (
                <PasswordInput
                  key={f.name}
                  label={label(f.name)}
                  required={f.required}
                  autoComplete="new-password"
                  {...form.getInputProps(`values.${f.name}`)}
                />
              ) : (
                <TextInput
                  key={f.name}
                  label={label(f.name)}
                  required={f.required}
                  {...form.getInputProps(`values.${f.name}`)}
                />
              ),
            )}
          </Group>
          <Text size="xs" c="dimmed">
            Secret fields are stored encrypted and never shown again.
          </Text>
          <Button type="submit" w="fit-content" loading={create.isPending}>
            Connect
          </Button>
          {create.isError && !Object.keys(form.errors).length ? <FormError error={create.error} /> : null}
        </Stack>
      </form>
    </Card>
  );
}
