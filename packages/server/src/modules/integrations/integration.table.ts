export interface IntegrationTable {
  id: string;
  store_id: string;
  key: string;
  type: string;
  category: string;
  /** JSON: the provider's readable fields. */
  config: string;
  /** JSON of the write-only fields, sealed (AES-256-GCM); null when there are none. */
  secrets_sealed: string | null;
  /** Id of the key that sealed `secrets_sealed` (rotation). */
  key_id: string | null;
  created_at: number;
  updated_at: number;
}

export interface IntegrationTables {
  integrations: IntegrationTable;
}
