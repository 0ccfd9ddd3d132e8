import type { Media } from '@openarky/contract';
import { fromJson } from '../../lib/json.ts';
import type { MediaTable } from './media.table.ts';

export function toMedia(row: MediaTable): Media {
  return {
    id: row.id,
    store_id: row.store_id,
    resolutions: fromJson(row.resolutions, {}),
    mime_type: row.mime_type,
    title: row.title,
    description: row.description,
    alt: row.alt,
    entity: row.entity,
    metadata: row.metadata,
    created_at: row.created_at,
    slug: fromJson(row.slug, {}),
  };
}
