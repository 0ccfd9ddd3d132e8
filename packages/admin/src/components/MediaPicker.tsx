import { useState } from 'react';
import { Button, Checkbox, Group, Image, Modal, SimpleGrid, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { Media } from '@openarky/contract';
import { must, sdk } from '../api/client.ts';
import { useSession } from '../api/session.ts';
import { QueryState } from './QueryState.tsx';

/** The best small picture of a media (thumbnail when the server made one). */
export const thumbUrl = (m: Media): string | undefined =>
  (m.resolutions.thumbnail ?? m.resolutions.medium ?? m.resolutions.original)?.url;

/** Chooses images from the media library; `value` holds media ids in order. */
export function MediaPicker({
  value,
  onChange,
  error,
}: {
  value: string[];
  onChange: (ids: string[]) => void;
  error?: unknown;
}) {
  const [open, setOpen] = useState(false);
  const { storeId } = useSession();
  const images = useQuery({
    queryKey: ['media', storeId, 'image/*', 'picker'],
    queryFn: () => must(sdk.media.getStoreMedia({ mime_type: 'image/*', limit: 100 })),
  });
  const byId = new Map((images.data?.items ?? []).map((m) => [m.id, m]));
  return (
    <Stack gap="xs">
      <Group gap="xs">
        {value.length === 0 ? (
          <Text c="dimmed" size="sm">
            No images.
          </Text>
        ) : null}
        {value.map((id) => {
          const m = byId.get(id);
          const url = m && thumbUrl(m);
          return url ? (
            <Image
              key={id}
              src={url}
              alt={m.alt ?? m.title ?? 'Product image'}
              w={64}
              h={64}
              fit="cover"
              radius="sm"
            />
          ) : (
            <Text key={id} size="xs">
              {id}
            </Text>
          );
        })}
      </Group>
      {error ? (
        <Text c="red" size="sm" role="alert">
          {String(error)}
        </Text>
      ) : null}
      <Button variant="light" size="xs" w="fit-content" onClick={() => setOpen(true)}>
        Choose images
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title="Choose images" size="lg">
        <QueryState
          query={images}
          label="images"
          isEmpty={(p) => p.items.length === 0}
          empty="No images in the media library yet."
        >
          {(page) => (
            <SimpleGrid cols={{ base: 2, sm: 4 }}>
              {page.items.map((m) => (
                <Stack key={m.id} gap={4}>
                  <Image src={thumbUrl(m)} alt={m.alt ?? m.title ?? ''} h={96} fit="cover" radius="sm" />
                  <Checkbox
                    label={m.title ?? m.slug[Object.keys(m.slug)[0] ?? ''] ?? m.id}
                    checked={value.includes(m.id)}
                    onChange={(e) =>
                      onChange(e.currentTarget.checked ? [...value, m.id] : value.filter((x) => x !== m.id))
                    }
                  />
                </Stack>
              ))}
            </SimpleGrid>
          )}
        </QueryState>
        <Group justify="flex-end" mt="md">
          <Button onClick={() => setOpen(false)}>Done</Button>
        </Group>
      </Modal>
    </Stack>
  );
}
