import { Button, Card, Group, Select, Stack, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery } from '@tanstack/react-query';
import { must, sdk } from '../../api/client.ts';
import { showFieldError } from '../../api/errors.ts';
import { useSession } from '../../api/session.ts';
import { FormError } from '../../components/FormError.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { SimpleTable } from '../../components/SimpleTable.tsx';
import { Roles } from './Roles.tsx';

/** Team members and their role in this store. */
export function Members() {
  const { storeId } = useSession();
  const members = useQuery({
    queryKey: ['members', storeId],
    queryFn: () => must(sdk.account.searchAccounts({ limit: 100 })),
  });
  const remove = useMutation({
    mutationFn: (accountId: string) => must(sdk.store.removeMember({ account_id: accountId })),
  });
  const roles = useQuery({ queryKey: ['roles', storeId], queryFn: () => must(sdk.store.role.list()) });
  // `super` is the platform operator's role; a store cannot grant it.
  const roleChoices = (roles.data ?? [])
    .filter((r) => r.id !== 'super')
    .map((r) => ({ value: r.id, label: r.built_in ? r.name : `${r.name} (custom)` }));
  // Adding an existing member again with another role changes the role (CONTRACT §1.7).
  const setRole = useMutation({
    mutationFn: (v: { email: string; role: string }) =>
      must(sdk.store.addMember(v as Parameters<typeof sdk.store.addMember>[0])),
    onSuccess: (_r, v) =>
      notifications.show({
        color: 'green',
        message: `${v.email} is now ${roleChoices.find((r) => r.value === v.role)?.label ?? v.role}`,
      }),
  });
  const form = useForm({ initialValues: { email: '', role: 'admin' } });
  const add = useMutation({
    mutationFn: (v: typeof form.values) =>
      must(sdk.store.addMember(v as Parameters<typeof sdk.store.addMember>[0])),
    onSuccess: () => form.reset(),
    onError: (e) => showFieldError(form, e, ['email', 'role']),
  });
  return (
    <Stack>
      <QueryState query={members} label="members" isEmpty={(p) => p.items.length === 0}>
        {(page) => (
          <SimpleTable
            head={['Email', 'Name', 'Role', '']}
            rows={page.items.map((a) => ({
              key: a.id,
              cells: [
                a.email,
                [a.first_name, a.last_name].filter(Boolean).join(' ') || '—',
                <Select
                  key="r"
                  aria-label={`Role of ${a.email}`}
                  allowDeselect={false}
                  size="xs"
                  w={180}
                  data={roleChoices}
                  value={a.memberships.find((m) => m.store_id === storeId)?.role ?? null}
                  onChange={(role) => role && setRole.mutate({ email: a.email, role })}
                />,
                <Button
                  key="x"
                  size="compact-xs"
                  variant="subtle"
                  color="red"
                  onClick={() => remove.mutate(a.id)}
                  aria-label={`Remove ${a.email}`}
                >
                  Remove
                </Button>,
              ],
            }))}
          />
        )}
      </QueryState>
      {remove.isError ? <FormError error={remove.error} /> : null}
      {setRole.isError ? <FormError error={setRole.error} /> : null}
      <Card withBorder>
        <Title order={2} size="h4" mb="sm">
          Add a member
        </Title>
        <form onSubmit={form.onSubmit((v) => add.mutate(v))} noValidate>
          <Group align="flex-end" wrap="wrap">
            <TextInput label="Email" type="email" {...form.getInputProps('email')} />
            <Select label="Role" allowDeselect={false} data={roleChoices} {...form.getInputProps('role')} />
            <Button type="submit" loading={add.isPending}>
              Add member
            </Button>
          </Group>
          {add.isError && !Object.keys(form.errors).length ? <FormError error={add.error} /> : null}
        </form>
      </Card>
      <Roles />
    </Stack>
  );
}
