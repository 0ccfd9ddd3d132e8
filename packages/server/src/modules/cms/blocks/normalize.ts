import { isRecord } from './types.ts';

/**
 * Input forms → canonical blocks (CONTRACT §8.2, §12 #24–25). Pure: no I/O; ids for blocks and
 * groups that lack one come from `newId`. Items that are not objects are passed through untouched
 * so the validator can report them with their path.
 *
 * - types: lower-cased; `localized_text` → text, `relationship_media`/`relationship_entry` →
 *   relationship with `properties.target`, `list`/`map` → block, `number` with variant DATE/DATE_TIME → date;
 * - properties: camelCase names → snake_case (`minLength` → `min_length`), enum values lower-cased;
 * - value: scalar → [scalar], null/undefined → [];
 * - relationship items: `node:<id>` → `entry:<id>`, bare `med_…`/`node_…` ids prefixed, hydrated
 *   objects dehydrated (`media:<id>` when the object has `mime_type`/`resolutions`, else `entry:<id>`);
 * - block items: `{ id, blocks }`; 0.9.x list items `{ value: Block[] }`, a bare `Block[]` (one group)
 *   and a `map` `Record<string, Block>` (one group) accepted.
 */
export function normalizeBlocks(input: unknown, newId: () => string = defaultId): unknown[] {
  if (input === null || input === undefined) return [];
  const list = Array.isArray(input) ? input : [input];
  return list.map((raw) => normalizeBlock(raw, newId));
}

const TYPE_RENAMES: Record<string, string> = {
  localized_text: 'text',
  relationship_media: 'relationship',
  relationship_entry: 'relationship',
  list: 'block',
  map: 'block',
  geolocation: 'geo_location',
  nested: 'block',
};

function snake(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

function normalizeBlock(raw: unknown, newId: () => string): unknown {
  if (!isRecord(raw)) return raw;
  const properties = normalizeProperties(raw.properties, newId);
  const given = typeof raw.type === 'string' ? raw.type.toLowerCase() : raw.type;
  let type = typeof given === 'string' ? (TYPE_RENAMES[given] ?? given) : given;
  if (given === 'relationship_media') properties.target ??= 'media';
  if (given === 'relationship_entry') properties.target ??= 'entry';
  if (type === 'number' && (properties.variant === 'date' || properties.variant === 'date_time')) {
    type = 'date';
    delete properties.variant;
  }
  const id =
    typeof raw.id === 'string' && raw.id !== ''
      ? raw.id
      : typeof raw.id === 'number'
        ? String(raw.id)
        : newId();
  return { id, key: raw.key, type, properties, value: normalizeValue(type, raw.value, newId) };
}

function normalizeProperties(raw: unknown, newId: () => string): Record<string, unknown> {
  if (!isRecord(raw)) return {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    const key = snake(k);
    if (key === 'blocks') out.blocks = Array.isArray(v) ? normalizeBlocks(v, newId) : v;
    else if ((key === 'variant' || key === 'target') && typeof v === 'string') out[key] = v.toLowerCase();
    else out[key] = v;
  }
  return out;
}

const looksLikeBlock = (v: unknown): boolean => isRecord(v) && 'key' in v && 'type' in v && !('blocks' in v);

function normalizeValue(type: unknown, value: unknown, newId: () => string): unknown[] {
  if (value === null || value === undefined) return [];
  if (type === 'block') return normalizeGroups(value, newId);
  const items = Array.isArray(value) ? value : [value];
  if (type === 'relationship') return items.map(dehydrate);
  if (type === 'geo_location') return items.map(normalizeGeo);
  return items;
}

function normalizeGroups(value: unknown, newId: () => string): unknown[] {
  let groups: unknown[];
  if (Array.isArray(value)) {
    groups = value.length > 0 && value.every(looksLikeBlock) ? [{ blocks: value }] : value;
  } else if (isRecord(value)) {
    if (Array.isArray(value.blocks) || Array.isArray(value.value)) groups = [value];
    else
      groups = [
        {
          blocks: Object.entries(value).map(([k, b]) =>
            isRecord(b) && b.key === undefined ? { ...b, key: k } : b,
          ),
        },
      ];
  } else {
    groups = [value];
  }
  return groups.map((g) => {
    if (!isRecord(g)) return g;
    const blocks = Array.isArray(g.blocks) ? g.blocks : Array.isArray(g.value) ? g.value : undefined;
    if (!blocks) return g;
    return {
      id: typeof g.id === 'string' && g.id !== '' ? g.id : newId(),
      blocks: normalizeBlocks(blocks, newId),
    };
  });
}

/** A relationship item to its stored reference; unrecognised items are returned unchanged. */
export function dehydrate(item: unknown): unknown {
  if (typeof item === 'string') {
    if (item.startsWith('node:')) return `entry:${item.slice(5)}`;
    if (/^med_[A-Za-z0-9]+$/.test(item)) return `media:${item}`;
    if (/^node_[A-Za-z0-9]+$/.test(item)) return `entry:${item}`;
    return item;
  }
  if (isRecord(item) && typeof item.id === 'string') {
    return 'mime_type' in item || 'resolutions' in item ? `media:${item.id}` : `entry:${item.id}`;
  }
  return item;
}

function normalizeGeo(item: unknown): unknown {
  if (!isRecord(item) || !isRecord(item.coordinates)) return item;
  const c = item.coordinates;
  if (c.lon === undefined && c.lng !== undefined) {
    const { lng, ...rest } = c;
    return { ...item, coordinates: { ...rest, lon: lng } };
  }
  return item;
}

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** `blk_<20 base62>`, the id prefix of CONTRACT §1.2. */
function defaultId(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(20));
  return `blk_${Array.from(bytes, (b) => ALPHABET[b % 62]).join('')}`;
}
