/** A stored file and its resolutions (CONTRACT §9, §11.8). */
export interface MediaTable {
  id: string;
  store_id: string;
  mime_type: string;
  title: string | null;
  /** Lower-cased title ('' when none): a non-null sort key for keyset pages. */
  title_sort: string;
  description: string | null;
  alt: string | null;
  entity: string;
  /** JSON string `{ filename, bytes, width?, height? }` as sent on the wire. */
  metadata: string | null;
  filename: string;
  /** JSON Record<locale, slug> */
  slug: string;
  /** JSON Record<size, { id, size, url }> — URLs are absolute and fixed at upload. */
  resolutions: string;
  /** Backend holding the files: `disk` or `s3`. */
  storage: 'disk' | 's3';
  /** JSON string[]: storage keys of every file, removed when the media is deleted. */
  files: string;
  bytes: number;
  created_at: number;
  updated_at: number;
}

export interface MediaTables {
  media: MediaTable;
}
