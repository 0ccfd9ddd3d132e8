import { useState } from 'react';
import {
  Button,
  Card,
  Grid,
  Group,
  NavLink,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery } from '@tanstack/react-query';
import type { Node } from '@openarky/contract';
import { must, sdk } from '../../api/client.ts';
import { apiError } from '../../api/errors.ts';
import { useSession } from '../../api/session.ts';
import { FormError } from '../../components/FormError.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { BlockEditor, type EditorBlock } from './BlockEditor.tsx';

/** Collections (root nodes) and their entries, each edited with the block editor. */
export default function Content() {
  const { storeId } = useSession();
  const [collectionId, setCollectionId] = useState<string | null>(null);
  const [entryId, setEntryId] = useState<string | null>(null);
  const collections = useQuery({
    queryKey: ['nodes', storeId, 'roots'],
    queryFn: () => must(sdk.cms.node.find({ parent_id: 'null', limit: 100 })),
  });
  const store = useQuery({ queryKey: ['store', storeId], queryFn: () => must(sdk.store.getStore()) });
  const languages = store.data?.languages.map((l) => l.id) ?? ['en'];
  const collection = collections.data?.items.find((c) => c.id === collectionId);

  return (
    <>
      <PageHeader title="Content" />
      <Grid>
        <Grid.Col span={{ base: 12, md: 3 }}>
          <Card withBorder>
            <Title order={2} size="h5" mb="xs">
              Collections
            </Title>
            <QueryState query={collections} label="collections" isEmpty={(p) => p.items.length === 0}>
              {(page) => (
                <nav aria-label="Collections">
                  {page.items.map((c) => (
                    <NavLink
                      key={c.id}
                      label={c.key}
                      active={c.id === collectionId}
                      onClick={() => (setCollectionId(c.id), setEntryId(null))}
                    />
                  ))}
                </nav>
              )}
            </QueryState>
            <NewNode label="collection" onCreated={(n) => setCollectionId(n.id)} />
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 3 }}>
          {collection ? (
            <Entries collection={collection} entryId={entryId} onSelect={setEntryId} />
          ) : (
            <Text c="dimmed">Choose a collection.</Text>
          )}
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          {entryId ? (
            <EntryEditor
              key={entryId}
              id={entryId}
              languages={languages}
              schema={collection?.schema ?? null}
            />
          ) : collection ? (
            <EntryEditor key={collection.id} id={collection.id} languages={languages} schema={null} />
          ) : null}
        </Grid.Col>
      </Grid>
    </>
  );
}

function Entries({
  collection,
  entryId,
  onSelect,
}: {
  collection: Node;
  entryId: string | null;
  onSelect: (id: string) => void;
}) {
  const { storeId } = useSession();
  const entries = useQuery({
    queryKey: ['nodes', storeId, 'children', collection.id],
    queryFn: () => must(sdk.cms.node.getChildren({ id: collection.id, limit: 100 })),
  });
  return (
    <Card withBorder>
      <Title order={2} size="h5" mb="xs">
        Entries of {collection.key}
      </Title>
      <QueryState query={entries} label="entries" isEmpty={(p) => p.items.length === 0}>
        {(page) => (
          <nav aria-label="Entries">
            {page.items.map((e) => (
              <NavLink
                key={e.id}
                label={e.key}
                description={e.status}
                active={e.id === entryId}
                onClick={() => onSelect(e.id)}
              />
            ))}
          </nav>
        )}
      </QueryState>
      <NewNode label="entry" parent={collection} onCreated={(n) => onSelect(n.id)} />
    </Card>
  );
}

function NewNode({
  label,
  parent,
  onCreated,
}: {
  label: string;
  parent?: Node;
  onCreated: (n: Node) => void;
}) {
  const [key, setKey] = useState('');
  const create = useMutation({
    mutationFn: () =>
      must(
        sdk.cms.node.create({
          key,
          ...(parent ? { parent_id: parent.id } : {}),
          // A new entry starts with the collection's declared fields.
          ...(parent?.schema
            ? {
                blocks: parent.schema.map((b) => ({
                  key: b.key,
                  type: b.type,
                  properties: b.properties,
                  value: [],
                })),
              }
            : {}),
        }),
      ),
    onSuccess: (n) => {
      setKey('');
      onCreated(n);
    },
  });
  const fieldError =
    apiError(create.error)?.details?.field === 'key' ? apiError(create.error)?.message : undefined;
  return (
    <Stack gap="xs" mt="sm">
      <Group align="flex-end" wrap="nowrap">
        <TextInput
          label={`New ${label} key`}
          value={key}
          onChange={(e) => setKey(e.currentTarget.value)}
          error={fieldError}
          style={{ flex: 1 }}
        />
        <Button
          variant="light"
          disabled={!key.trim()}
          loading={create.isPending}
          onClick={() => create.mutate()}
        >
          Add
        </Button>
      </Group>
      {create.isError && !fieldError ? <FormError error={create.error} /> : null}
    </Stack>
  );
}

function EntryEditor({
  id,
  languages,
  schema,
}: {
  id: string;
  languages: string[];
  schema: Node['schema'] | null;
}) {
  const { storeId } = useSession();
  const node = useQuery({
    queryKey: ['node', storeId, id],
    queryFn: () => must(sdk.cms.node.get({ id, hydrate: false })),
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
  return (
    <QueryState query={node} label="entry">
      {(n) => <EntryForm key={n.updated_at} node={n} languages={languages} schema={schema} />}
    </QueryState>
  );
}

function EntryForm({
  node,
  languages,
  schema,
}: {
  node: Node;
  languages: string[];
  schema: Node['schema'] | null;
}) {
  const [blocks, setBlocks] = useState<EditorBlock[]>(() => {
    const own = node.blocks.map((b) => ({
      id: b.id,
      key: b.key,
      type: b.type,
      properties: b.properties,
      value: b.value,
    }));
    const missing = (schema ?? [])
      .filter((s) => !own.some((b) => b.key === s.key))
      .map((s) => ({ key: s.key, type: s.type, properties: s.properties, value: [] }));
    return [...own, ...missing];
  });
  const [status, setStatus] = useState(node.status);
  const save = useMutation({
    mutationFn: () => must(sdk.cms.node.update({ id: node.id, status, blocks })),
    onSuccess: () => notifications.show({ color: 'green', message: `${node.key} saved` }),
  });
  const field = apiError(save.error)?.details?.field;
  const errors: Record<string, string> =
    typeof field === 'string' && field.startsWith('blocks') ? { [field]: apiError(save.error)!.message } : {};
  return (
    <Card withBorder>
      <Group justify="space-between" mb="sm" wrap="wrap">
        <Title order={2} size="h4">
          {node.parent_id ? 'Entry' : 'Collection'} {node.key}
        </Title>
        <Group gap="xs">
          <SegmentedControl
            aria-label="Status"
            data={['active', 'archived']}
            value={status}
            onChange={(v) => setStatus(v as Node['status'])}
          />
          <Button loading={save.isPending} onClick={() => save.mutate()}>
            Save {node.key}
          </Button>
        </Group>
      </Group>
      {save.isError && !Object.keys(errors).length ? <FormError error={save.error} /> : null}
      <BlockEditor blocks={blocks} onChange={setBlocks} languages={languages} errors={errors} />
    </Card>
  );
}
