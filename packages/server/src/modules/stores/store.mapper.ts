import type { Store } from '@openarky/contract';
import { fromJson } from '../../lib/json.ts';
import type { StoreTable } from '../tenancy/index.ts';
import type { SubscriptionTable } from './store.table.ts';

export function toSubscription(row: SubscriptionTable) {
  return {
    id: row.id,
    target: `store:${row.store_id}`,
    plan_id: row.plan_id,
    pending_plan_id: row.pending_plan_id,
    payment: fromJson(row.payment, { currency: 'USD', market: 'us' }),
    status: row.status,
    start_date: row.start_date,
    end_date: row.end_date,
    token: row.token,
    source: row.source,
  };
}

export function toStore(
  row: StoreTable,
  extra: { subscription?: SubscriptionTable | null; counts?: Record<string, number> } = {},
): Store {
  return {
    id: row.id,
    key: row.key,
    timezone: row.timezone,
    languages: fromJson(row.languages, [{ id: 'en' }]),
    emails: fromJson(row.emails, { billing: '', support: '' }),
    status: row.status,
    is_network: row.is_network === 1,
    settings: fromJson(row.settings, {}),
    ...(extra.subscription !== undefined
      ? { subscription: extra.subscription ? toSubscription(extra.subscription) : null }
      : {}),
    ...(extra.counts ? { counts: extra.counts } : {}),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}
