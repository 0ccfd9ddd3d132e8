import { Alert, Button, Card, Code, CopyButton, Group, Stack, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { Account } from '@openarky/contract';
import { must, sdk } from '../../api/client.ts';
import { showFieldError } from '../../api/errors.ts';
import { dateTime } from '../../api/format.ts';
import { FormError } from '../../components/FormError.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { SimpleTable } from '../../components/SimpleTable.tsx';

const keep = (a: Account) => a.api_tokens.map((t) => ({ id: t.id, name: t.name }));

/** The signed-in account's API keys; a new key's value is shown once, right after creation. */
export function ApiKeys() {
  const me = useQuery({ queryKey: ['me'], queryFn: () => must(sdk.account.getMe()) });
  const [created, setCreated] = useState<{ name: string | null; value: string } | null>(null);
  const form = useForm({ initialValues: { name: '' } });
  const create = useMutation({
    mutationFn: (name: string) =>
      must(sdk.account.updateAccount({ api_tokens: [...keep(me.data!), { id: null, name }] })),
    onSuccess: (r) => {
      const t = r.newly_created_tokens[0];
      if (t?.value) setCreated({ name: t.name, value: t.value });
      form.reset();
    },
    onError: (e) => showFieldError(form, e, ['name'], (f) => (f.startsWith('api_tokens') ? 'name' : f)),
  });
  const revoke = useMutation({
    mutationFn: (id: string) =>
      must(sdk.account.updateAccount({ api_tokens: keep(me.data!).filter((t) => t.id !== id) })),
  });
  return (
    <Stack>
      {created ? (
        <Alert
          color="yellow"
          title={`API key ${created.name ?? ''} created`}
          withCloseButton
          onClose={() => setCreated(null)}
        >
          <Stack gap="xs">
            Copy it now: it is not shown again.
            <Group wrap="nowrap">
              <Code data-testid="new-api-key" style={{ wordBreak: 'break-all' }}>
                {created.value}
              </Code>
              <CopyButton value={created.value}>
                {({ copied, copy }) => (
                  <Button size="xs" onClick={copy}>
                    {copied ? 'Copied' : 'Copy'}
                  </Button>
                )}
              </CopyButton>
            </Group>
          </Stack>
        </Alert>
      ) : null}
      <QueryState query={me} label="API keys" isEmpty={(a) => a.api_tokens.length === 0}>
        {(a) => (
          <SimpleTable
            head={['Name', 'Created', 'Last used', '']}
            rows={a.api_tokens.map((t) => ({
              key: t.id,
              cells: [
                t.name ?? '—',
                dateTime(t.created_at),
                dateTime(t.last_used_at),
                <Button
                  key="r"
                  size="compact-xs"
                  variant="subtle"
                  color="red"
                  onClick={() => revoke.mutate(t.id)}
                  aria-label={`Revoke ${t.name ?? t.id}`}
                >
                  Revoke
                </Button>,
              ],
            }))}
          />
        )}
      </QueryState>
      <Card withBorder>
        <Title order={2} size="h4" mb="sm">
          New API key
        </Title>
        <form onSubmit={form.onSubmit((v) => create.mutate(v.name))} noValidate>
          <Group align="flex-end">
            <TextInput label="Key name" {...form.getInputProps('name')} />
            <Button type="submit" loading={create.isPending} disabled={!me.data}>
              Create key
            </Button>
          </Group>
          {create.isError && !Object.keys(form.errors).length ? <FormError error={create.error} /> : null}
        </form>
      </Card>
    </Stack>
  );
}
