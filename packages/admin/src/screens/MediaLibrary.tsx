import { useState } from 'react';
import {
  Badge,
  Button,
  Card,
  Group,
  Image,
  Progress,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { Dropzone } from '@mantine/dropzone';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Media } from '@openarky/contract';
import { must, sdk, uploadClient } from '../api/client.ts';
import { useSession } from '../api/session.ts';
import { PageHeader } from '../components/PageHeader.tsx';
import { QueryState } from '../components/QueryState.tsx';
import { CursorPager, useCursorPager } from '../components/CursorPager.tsx';
import { thumbUrl } from '../components/MediaPicker.tsx';

const TYPES = [
  { value: '', label: 'All' },
  { value: 'image/*', label: 'Images' },
  { value: 'video/*', label: 'Video' },
  { value: 'audio/*', label: 'Audio' },
  { value: 'application/*', label: 'Documents' },
];

interface Upload {
  id: number;
  name: string;
  progress: number;
  status: 'uploading' | 'done' | 'failed';
  error?: string;
}

let uploadSeq = 0;

/** Drag-and-drop upload with a progress bar per file, a thumbnail grid, filters by type. */
export default function MediaLibrary() {
  const { storeId } = useSession();
  const queryClient = useQueryClient();
  const [type, setType] = useState('');
  const [search, setSearch] = useState('');
  const [query] = useDebouncedValue(search.trim(), 300);
  const pager = useCursorPager([storeId, type, query]);
  const [uploads, setUploads] = useState<Upload[]>([]);
  const media = useQuery({
    queryKey: ['media', storeId, type, query, pager.cursor],
    queryFn: () =>
      must(
        sdk.media.getStoreMedia({
          limit: 24,
          ...(type ? { mime_type: type } : {}),
          ...(query ? { query } : {}),
          ...(pager.cursor ? { cursor: pager.cursor } : {}),
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const patch = (id: number, change: Partial<Upload>) =>
    setUploads((all) => all.map((u) => (u.id === id ? { ...u, ...change } : u)));

  // One request per file, so each has its own progress and its own error.
  const upload = (files: File[]) => {
    for (const file of files) {
      const id = ++uploadSeq;
      setUploads((all): Upload[] =>
        [{ id, name: file.name, progress: 0, status: 'uploading' as const }, ...all].slice(0, 20),
      );
      const client = uploadClient((fraction) => patch(id, { progress: Math.round(fraction * 100) }));
      void client.media.uploadStoreMedia({ files: [file] }).then((res) => {
        patch(id, res.ok ? { status: 'done', progress: 100 } : { status: 'failed', error: res.val.message });
        if (res.ok) void queryClient.invalidateQueries({ queryKey: ['media'] });
      });
    }
  };
  const remove = useMutation({
    mutationFn: (m: Media) => must(sdk.media.deleteStoreMedia({ media_id: m.id })),
  });

  return (
    <>
      <PageHeader title="Media library" />
      <Dropzone onDrop={upload} multiple aria-label="Upload files" data-testid="dropzone" mb="md">
        <Stack align="center" gap={4} py="lg" style={{ pointerEvents: 'none' }}>
          <Text fw={500}>Drop files here or click to choose</Text>
          <Text size="sm" c="dimmed">
            Images get thumbnails; other files are stored as they are.
          </Text>
        </Stack>
      </Dropzone>
      {uploads.length ? (
        <Stack gap="xs" mb="md" aria-label="Uploads">
          {uploads.map((u) => (
            <Group key={u.id} wrap="nowrap" gap="sm" data-testid="upload-row">
              <Text size="sm" style={{ flex: 1, minWidth: 0 }} truncate>
                {u.name}
              </Text>
              <Progress
                value={u.progress}
                w={160}
                color={u.status === 'failed' ? 'red' : u.status === 'done' ? 'green' : 'indigo'}
                aria-label={`Upload of ${u.name}`}
              />
              <Text size="xs" w={120} c={u.status === 'failed' ? 'red' : undefined}>
                {u.status === 'failed'
                  ? (u.error ?? 'failed')
                  : u.status === 'done'
                    ? 'Uploaded'
                    : `${u.progress}%`}
              </Text>
            </Group>
          ))}
        </Stack>
      ) : null}
      <Group mb="md" wrap="wrap">
        <SegmentedControl aria-label="Type" data={TYPES} value={type} onChange={setType} />
        <TextInput
          aria-label="Search media"
          placeholder="Search"
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
        />
      </Group>
      <QueryState
        query={media}
        label="media"
        isEmpty={(p) => p.items.length === 0}
        empty="No files here yet."
      >
        {(page) => (
          <>
            <SimpleGrid cols={{ base: 2, sm: 3, md: 4, lg: 6 }}>
              {page.items.map((m) => {
                const name = m.title ?? m.slug[Object.keys(m.slug)[0] ?? ''] ?? m.id;
                const thumb = m.mime_type.startsWith('image/') ? thumbUrl(m) : undefined;
                return (
                  <Card key={m.id} withBorder padding="xs" data-testid="media-card">
                    <Card.Section>
                      {thumb ? (
                        <Image src={thumb} alt={m.alt ?? name} h={120} fit="cover" />
                      ) : (
                        <Stack h={120} justify="center" align="center">
                          <Badge>{m.mime_type}</Badge>
                        </Stack>
                      )}
                    </Card.Section>
                    <Text size="xs" mt="xs" truncate title={name}>
                      {name}
                    </Text>
                    <Button
                      variant="subtle"
                      color="red"
                      size="compact-xs"
                      mt={4}
                      onClick={() => remove.mutate(m)}
                      aria-label={`Delete ${name}`}
                    >
                      Delete
                    </Button>
                  </Card>
                );
              })}
            </SimpleGrid>
            <Group mt="sm">
              <CursorPager pager={pager} page={page} />
            </Group>
          </>
        )}
      </QueryState>
    </>
  );
}
