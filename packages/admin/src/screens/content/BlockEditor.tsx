import { useState } from 'react';
import {
  ActionIcon,
  Button,
  Card,
  Group,
  JsonInput,
  NumberInput,
  Select,
  Stack,
  Switch,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { DateTimePicker } from '@mantine/dates';
import dayjs from 'dayjs';
import { LanguageTabs } from '../../components/LocalizedTextTabs.tsx';
import { MediaPicker } from '../../components/MediaPicker.tsx';

/** A block as the editor holds it: the wire shape (`value` always an array, CONTRACT §8.2). */
export interface EditorBlock {
  id?: string;
  key: string;
  type: string;
  properties?: Record<string, unknown>;
  value: unknown[];
}

export const BLOCK_TYPES = [
  'text',
  'markdown',
  'number',
  'boolean',
  'date',
  'geo_location',
  'relationship',
  'block',
];

const localized = (v: unknown): Record<string, string> =>
  typeof v === 'string' ? { en: v } : v && typeof v === 'object' ? (v as Record<string, string>) : {};

/** Edits a list of blocks; text and markdown are edited per store language. `errors` is keyed by API path. */
export function BlockEditor({
  blocks,
  onChange,
  languages,
  errors,
}: {
  blocks: EditorBlock[];
  onChange: (b: EditorBlock[]) => void;
  languages: string[];
  errors: Record<string, string>;
}) {
  const set = (i: number, b: EditorBlock) => onChange(blocks.map((x, j) => (j === i ? b : x)));
  return (
    <Stack>
      {blocks.map((b, i) => {
        const error = Object.entries(errors).find(
          ([k]) => k === `blocks.${i}` || k.startsWith(`blocks.${i}.`),
        )?.[1];
        return (
          <Card withBorder key={i} data-testid={`block-${b.key}`}>
            <Group justify="space-between" mb="xs">
              <Text fw={500}>
                {b.key}{' '}
                <Text span c="dimmed" size="sm">
                  ({b.type})
                </Text>
              </Text>
              <ActionIcon
                variant="subtle"
                color="red"
                aria-label={`Remove block ${b.key}`}
                onClick={() => onChange(blocks.filter((_, j) => j !== i))}
              >
                ×
              </ActionIcon>
            </Group>
            <BlockValue block={b} languages={languages} onChange={(value) => set(i, { ...b, value })} />
            {error ? (
              <Text c="red" size="sm" role="alert">
                {error}
              </Text>
            ) : null}
          </Card>
        );
      })}
      <AddBlock
        onAdd={(key, type) =>
          onChange([
            ...blocks,
            {
              key,
              type,
              value: [],
              ...(type === 'relationship' ? { properties: { multiple: true, target: 'media' } } : {}),
            },
          ])
        }
      />
    </Stack>
  );
}

function BlockValue({
  block,
  languages,
  onChange,
}: {
  block: EditorBlock;
  languages: string[];
  onChange: (v: unknown[]) => void;
}) {
  const first = block.value[0];
  switch (block.type) {
    case 'text':
    case 'markdown': {
      const map = localized(first);
      return (
        <LanguageTabs languages={languages} panelPadding="xs">
          {(l) =>
            block.type === 'markdown' ? (
              <Textarea
                label={`${block.key} (${l})`}
                autosize
                minRows={3}
                value={map[l] ?? ''}
                onChange={(e) => onChange([{ ...map, [l]: e.currentTarget.value }])}
              />
            ) : (
              <TextInput
                label={`${block.key} (${l})`}
                value={map[l] ?? ''}
                onChange={(e) => onChange([{ ...map, [l]: e.currentTarget.value }])}
              />
            )
          }
        </LanguageTabs>
      );
    }
    case 'number':
      return (
        <NumberInput
          label={block.key}
          value={typeof first === 'number' ? first : ''}
          onChange={(v) => onChange(v === '' ? [] : [Number(v)])}
        />
      );
    case 'boolean':
      return (
        <Switch
          label={block.key}
          checked={first === true}
          onChange={(e) => onChange([e.currentTarget.checked])}
        />
      );
    case 'date':
      return (
        <DateTimePicker
          label={block.key}
          clearable
          value={typeof first === 'number' ? dayjs.unix(first).format('YYYY-MM-DD HH:mm:ss') : null}
          onChange={(v) => onChange(v ? [dayjs(v).unix()] : [])}
        />
      );
    case 'geo_location': {
      const g = (first ?? {}) as { address?: string; coordinates?: { lat: number; lon: number } | null };
      const update = (change: Partial<{ address: string; lat: number; lon: number }>) => {
        const lat = change.lat ?? g.coordinates?.lat;
        const lon = change.lon ?? g.coordinates?.lon;
        onChange([
          {
            address: change.address ?? g.address ?? '',
            coordinates: lat !== undefined && lon !== undefined ? { lat, lon } : null,
          },
        ]);
      };
      return (
        <Group wrap="wrap">
          <TextInput
            label="Address"
            value={g.address ?? ''}
            onChange={(e) => update({ address: e.currentTarget.value })}
          />
          <NumberInput
            label="Latitude"
            min={-90}
            max={90}
            decimalScale={6}
            value={g.coordinates?.lat ?? ''}
            onChange={(v) => update({ lat: Number(v) })}
          />
          <NumberInput
            label="Longitude"
            min={-180}
            max={180}
            decimalScale={6}
            value={g.coordinates?.lon ?? ''}
            onChange={(v) => update({ lon: Number(v) })}
          />
        </Group>
      );
    }
    case 'relationship': {
      const ids = block.value
        .map((v) =>
          typeof v === 'string' ? v.replace(/^media:/, '') : String((v as { id?: string }).id ?? ''),
        )
        .filter(Boolean);
      return <MediaPicker value={ids} onChange={(next) => onChange(next.map((id) => `media:${id}`))} />;
    }
    default:
      // Nested groups (`block`): edited as JSON; the server validates them with precise paths.
      return (
        <JsonInput
          label={`${block.key} (JSON)`}
          formatOnBlur
          autosize
          minRows={3}
          defaultValue={JSON.stringify(block.value, null, 2)}
          onBlur={(e) => {
            try {
              const v: unknown = JSON.parse(e.currentTarget.value);
              onChange(Array.isArray(v) ? v : [v]);
            } catch {
              // JsonInput shows the parse error itself.
            }
          }}
        />
      );
  }
}

function AddBlock({ onAdd }: { onAdd: (key: string, type: string) => void }) {
  const [key, setKey] = useState('');
  const [type, setType] = useState('text');
  return (
    <Group align="flex-end" wrap="wrap">
      <TextInput
        label="New block key"
        placeholder="title"
        value={key}
        onChange={(e) => setKey(e.currentTarget.value)}
      />
      <Select
        label="Block type"
        data={BLOCK_TYPES}
        value={type}
        onChange={(v) => setType(v ?? 'text')}
        allowDeselect={false}
        w={160}
      />
      <Button
        variant="light"
        disabled={!key.trim()}
        onClick={() => {
          onAdd(key.trim(), type);
          setKey('');
        }}
      >
        Add block
      </Button>
    </Group>
  );
}
