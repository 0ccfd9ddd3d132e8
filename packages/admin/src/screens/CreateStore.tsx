import { Button, Paper, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { must, sdk, selectStore } from '../api/client.ts';
import { showFieldError } from '../api/errors.ts';
import { FormError } from '../components/FormError.tsx';
import { PageHeader } from '../components/PageHeader.tsx';

/** A new store: the server creates its `us` and `eu` markets; the caller becomes its owner. */
export function CreateStore() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const form = useForm({
    initialValues: {
      key: '',
      timezone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
      billing_email: '',
    },
  });
  const create = useMutation({
    mutationFn: (v: typeof form.values) => must(sdk.store.createStore(v)),
    onSuccess: async (store) => {
      selectStore(store.id);
      await queryClient.invalidateQueries({ queryKey: ['stores'] });
      void navigate('/settings/markets');
    },
    onError: (e) => showFieldError(form, e, ['key', 'timezone', 'billing_email']),
  });
  const unclaimed = create.isError && !Object.keys(form.errors).length;
  return (
    <Paper maw={520} p="md" withBorder>
      <PageHeader title="Create a store" />
      <form onSubmit={form.onSubmit((v) => create.mutate(v))} noValidate>
        <Stack>
          <TextInput
            label="Store key"
            description="Lower-case letters, digits and dashes"
            required
            {...form.getInputProps('key')}
          />
          <TextInput label="Time zone" required {...form.getInputProps('timezone')} />
          <TextInput label="Billing email" type="email" required {...form.getInputProps('billing_email')} />
          {unclaimed ? <FormError error={create.error} /> : null}
          <Button type="submit" loading={create.isPending}>
            Create store
          </Button>
        </Stack>
      </form>
    </Paper>
  );
}
