import { Type, type Static } from '@sinclair/typebox';
import { Key, Nullable, PageQuery, StringEnum, Timestamp } from './common.ts';

/** Canonical block types (CONTRACT §8.2); 0.9.x and seed 002 names are accepted on input. */
export const BLOCK_TYPES = [
  'text',
  'markdown',
  'number',
  'boolean',
  'date',
  'geo_location',
  'relationship',
  'block',
] as const;
export type BlockType = (typeof BLOCK_TYPES)[number];

/**
 * `Block` (seed 002; wire names §8.2). `value` is always an array; its items depend on the type
 * and, for relationships, are hydrated Media/Node objects in responses.
 */
export const Block = Type.Object({
  id: Type.String(),
  key: Type.String(),
  type: StringEnum(BLOCK_TYPES),
  properties: Type.Record(Type.String(), Type.Unknown()),
  value: Type.Array(Type.Unknown()),
});
export type Block = Static<typeof Block>;

export const NodeStatus = StringEnum(['active', 'archived'] as const);

/** `Node` (CONTRACT §11.8): a collection is a node with a `schema`, an entry is its child. */
export const Node = Type.Object({
  id: Type.String(),
  store_id: Type.String(),
  key: Type.String(),
  parent_id: Nullable(Type.String()),
  blocks: Type.Array(Block),
  schema: Type.Optional(Nullable(Type.Array(Block))),
  taxonomies: Type.Array(Type.Unknown()),
  status: NodeStatus,
  slug: Type.Record(Type.String(), Type.String()),
  /** Direct children (`get` only; `[]` in lists and in hydrated references). */
  children: Type.Array(Type.Unknown()),
  created_at: Timestamp,
  updated_at: Timestamp,
});
export type Node = Static<typeof Node>;

// Blocks are checked by the server's block normalizer/validator, which reports precise paths
// (`blocks.1.value.0`) and accepts the 0.9.x forms, so the request schema leaves them open.
const BlocksInput = Type.Array(Type.Unknown(), { maxItems: 500 });
const SlugInput = Type.Union([Type.Record(Type.String(), Type.String()), Type.String()]);

export const CreateNodeBody = Type.Object({
  key: Key(),
  parent_id: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  /** seed 002 Entry owner `collection:{id}` (= parent_id). */
  owner: Type.Optional(Nullable(Type.String({ maxLength: 120 }))),
  blocks: Type.Optional(BlocksInput),
  schema: Type.Optional(Nullable(BlocksInput)),
  taxonomies: Type.Optional(Type.Array(Type.Unknown(), { maxItems: 200 })),
  slug: Type.Optional(SlugInput),
  /** `active` / `archived`; seed 002 PUBLISHED → active; DRAFT rejected (§12 #27). */
  status: Type.Optional(Type.String({ maxLength: 20 })),
});

export const UpdateNodeBody = Type.Partial(CreateNodeBody);

export const NodeParams = Type.Object({
  storeId: Type.String({ maxLength: 100 }),
  id: Type.String({ maxLength: 400 }),
});
export const HydrateQuery = Type.Object({ hydrate: Type.Optional(Type.Boolean()) });

export const FindNodesQuery = Type.Object({
  ...PageQuery,
  ids: Type.Optional(Type.Array(Type.String(), { maxItems: 100 })),
  parent_id: Type.Optional(Type.String({ maxLength: 100, description: '`null` for roots' })),
  key: Type.Optional(Type.String({ maxLength: 64 })),
  query: Type.Optional(Type.String({ maxLength: 200 })),
  status: Type.Optional(NodeStatus),
  sort_field: Type.Optional(StringEnum(['created_at', 'updated_at', 'key'] as const)),
  hydrate: Type.Optional(Type.Boolean()),
});

export const NodeChildrenQuery = Type.Object({
  limit: PageQuery.limit,
  cursor: PageQuery.cursor,
  sort_direction: PageQuery.sort_direction,
  sort_field: Type.Optional(StringEnum(['created_at', 'updated_at', 'key'] as const)),
  hydrate: Type.Optional(Type.Boolean()),
});

/** `MediaResolution` (seed 003). */
export const MediaResolution = Type.Object({ id: Type.String(), size: Type.String(), url: Type.String() });

/** `Media` (seed 003 + sdk `store_id`, §12 #47). */
export const Media = Type.Object({
  id: Type.String(),
  store_id: Type.String(),
  resolutions: Type.Record(Type.String(), MediaResolution),
  mime_type: Type.String(),
  title: Type.Optional(Nullable(Type.String())),
  description: Type.Optional(Nullable(Type.String())),
  alt: Type.Optional(Nullable(Type.String())),
  entity: Type.String(),
  metadata: Type.Optional(Nullable(Type.String())),
  created_at: Timestamp,
  slug: Type.Record(Type.String(), Type.String()),
});
export type Media = Static<typeof Media>;

export const MediaParams = Type.Object({
  storeId: Type.String({ maxLength: 100 }),
  mediaId: Type.String({ maxLength: 100 }),
});

export const ListMediaQuery = Type.Object({
  ...PageQuery,
  ids: Type.Optional(Type.Array(Type.String(), { maxItems: 100 })),
  query: Type.Optional(Type.String({ maxLength: 200 })),
  mime_type: Type.Optional(Type.String({ maxLength: 100 })),
  sort_field: Type.Optional(StringEnum(['created_at', 'title'] as const)),
});

export const UpdateMediaBody = Type.Object({
  title: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  description: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))),
  alt: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
  slug: Type.Optional(SlugInput),
  metadata: Type.Optional(Nullable(Type.String({ maxLength: 16384 }))),
});

export type CreateNodeBody = Static<typeof CreateNodeBody>;
export type UpdateNodeBody = Static<typeof UpdateNodeBody>;
export type FindNodesQuery = Static<typeof FindNodesQuery>;
export type NodeChildrenQuery = Static<typeof NodeChildrenQuery>;
export type MediaResolution = Static<typeof MediaResolution>;
export type ListMediaQuery = Static<typeof ListMediaQuery>;
export type UpdateMediaBody = Static<typeof UpdateMediaBody>;
