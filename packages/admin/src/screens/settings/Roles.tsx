import { Button, Card, Group, MultiSelect, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQuery } from '@tanstack/react-query';
import type { PermissionAction, StoreRole } from '@openarky/contract';
// The TypeBox-free subpath: a value import from the package root would bundle TypeBox.
import { PERMISSION_COLLECTIONS } from '@openarky/contract/permissions';
import { must, sdk } from '../../api/client.ts';
import { showFieldError } from '../../api/errors.ts';
import { useSession } from '../../api/session.ts';
import { FormError } from '../../components/FormError.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { SimpleTable } from '../../components/SimpleTable.tsx';

const describe = (r: StoreRole) =>
  r.permissions
    .map((p) => `${p.action} ${p.resource.replace(/^\/stores\/[^/]+\/?/, '') || 'store'}`)
    .join(', ');

/** Custom roles: a name and what each may do (read, write or admin) on which collections. */
export function Roles() {
  const { storeId } = useSession();
  const roles = useQuery({ queryKey: ['roles', storeId], queryFn: () => must(sdk.store.role.list()) });
  const remove = useMutation({ mutationFn: (id: string) => must(sdk.store.role.delete({ id })) });
  const form = useForm({
    initialValues: { name: '', action: 'write' as PermissionAction, collections: [] as string[] },
  });
  const create = useMutation({
    mutationFn: (v: typeof form.values) =>
      must(
        sdk.store.role.create({
          name: v.name.trim(),
          permissions: v.collections.map((c) => ({ action: v.action, resource: `/stores/{storeId}/${c}` })),
        }),
      ),
    onSuccess: () => form.reset(),
    onError: (e) =>
      showFieldError(form, e, ['name', 'collections'], (f) =>
        f.startsWith('permissions') ? 'collections' : f,
      ),
  });
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="sm">
        Roles
      </Title>
      <QueryState query={roles} label="roles">
        {(list) => (
          <SimpleTable
            testId="roles-table"
            head={['Role', 'Permissions', '']}
            rows={list
              .filter((r) => r.id !== 'super')
              .map((r) => ({
                key: r.id,
                cells: [
                  r.built_in ? r.name : `${r.name} (custom)`,
                  <Text key="p" size="sm">
                    {r.built_in ? 'Built in' : describe(r)}
                  </Text>,
                  r.built_in ? null : (
                    <Button
                      key="x"
                      size="compact-xs"
                      variant="subtle"
                      color="red"
                      aria-label={`Delete role ${r.name}`}
                      onClick={() => remove.mutate(r.id)}
                    >
                      Delete
                    </Button>
                  ),
                ],
              }))}
          />
        )}
      </QueryState>
      {remove.isError ? <FormError error={remove.error} /> : null}
      <form onSubmit={form.onSubmit((v) => create.mutate(v))} noValidate>
        <Stack mt="md" gap="xs">
          <Group align="flex-end" wrap="wrap">
            <TextInput label="Role name" {...form.getInputProps('name')} />
            <Select
              label="May"
              allowDeselect={false}
              data={[
                { value: 'read', label: 'Read' },
                { value: 'write', label: 'Read and write' },
                { value: 'admin', label: 'Administer' },
              ]}
              {...form.getInputProps('action')}
              w={170}
            />
            <MultiSelect
              label="Collections"
              data={PERMISSION_COLLECTIONS}
              searchable
              miw={260}
              {...form.getInputProps('collections')}
            />
            <Button type="submit" loading={create.isPending}>
              Create role
            </Button>
          </Group>
          {create.isError && !Object.keys(form.errors).length ? <FormError error={create.error} /> : null}
        </Stack>
      </form>
    </Card>
  );
}
