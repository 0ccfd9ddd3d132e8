import { Button, Card, Stack, TagsInput, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery } from '@tanstack/react-query';
import type { Store } from '@openarky/contract';
import { must, sdk } from '../../api/client.ts';
import { showFieldError } from '../../api/errors.ts';
import { useSession } from '../../api/session.ts';
import { FormError } from '../../components/FormError.tsx';
import { QueryState } from '../../components/QueryState.tsx';

/** Store details and languages (the first language is the default). */
export function StoreSettings() {
  const { storeId } = useSession();
  const store = useQuery({
    queryKey: ['store', storeId],
    queryFn: () => must(sdk.store.getStore()),
    staleTime: Infinity,
  });
  return (
    <QueryState query={store} label="store">
      {(s) => <StoreForm key={s.updated_at} store={s} />}
    </QueryState>
  );
}

function StoreForm({ store }: { store: Store }) {
  const form = useForm({
    initialValues: {
      key: store.key,
      timezone: store.timezone,
      support: store.emails.support,
      billing: store.emails.billing,
      languages: store.languages.map((l) => l.id),
    },
  });
  const save = useMutation({
    mutationFn: (v: typeof form.values) =>
      must(
        sdk.store.updateStore({
          key: v.key,
          timezone: v.timezone,
          emails: { support: v.support, billing: v.billing },
          languages: v.languages.map((id, i) => ({ id, is_default: i === 0 })),
        }),
      ),
    onSuccess: () => notifications.show({ color: 'green', message: 'Store saved' }),
    onError: (e) =>
      showFieldError(form, e, ['key', 'timezone', 'languages'], (f) => f.replace(/^emails\./, '')) ||
      showFieldError(form, e, ['support', 'billing'], (f) => f.replace(/^emails\./, '')),
  });
  return (
    <Card withBorder maw={640}>
      <form onSubmit={form.onSubmit((v) => save.mutate(v))} noValidate>
        <Stack>
          <TextInput label="Store key" {...form.getInputProps('key')} />
          <TextInput label="Time zone" {...form.getInputProps('timezone')} />
          <TextInput label="Support email" type="email" {...form.getInputProps('support')} />
          <TextInput label="Billing email" type="email" {...form.getInputProps('billing')} />
          <TagsInput
            label="Languages"
            description="Language codes such as en, fr, de-CH; the first is the default"
            {...form.getInputProps('languages')}
          />
          {save.isError && !Object.keys(form.errors).length ? <FormError error={save.error} /> : null}
          <Button type="submit" w="fit-content" loading={save.isPending}>
            Save store
          </Button>
        </Stack>
      </form>
    </Card>
  );
}
