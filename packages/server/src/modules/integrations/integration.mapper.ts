import type { Integration } from '@openarky/contract';
import { fromJson } from '../../lib/json.ts';
import { providerDef, type Category } from './integration.registry.ts';
import type { IntegrationTable } from './integration.table.ts';

/** Readable fields only: the mapper copies the fields the registry marks readable, nothing else. */
export function publicProvider(type: string, configJson: string): Integration['provider'] {
  const def = providerDef(type);
  const stored = fromJson<Record<string, unknown>>(configJson, {});
  const out: Record<string, unknown> = { type };
  for (const f of def?.fields ?? []) {
    if (!f.secret && stored[f.name] !== undefined) out[f.name] = stored[f.name];
  }
  return out as Integration['provider'];
}

export function toIntegration(row: IntegrationTable): Integration {
  return {
    id: row.id,
    store_id: row.store_id,
    key: row.key,
    category: row.category as Category,
    provider: publicProvider(row.type, row.config),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}
