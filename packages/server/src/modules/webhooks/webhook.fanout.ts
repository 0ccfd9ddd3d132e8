import type { WebhookEventSubscription } from '@openarky/contract';
import type { Db } from '../../lib/context.ts';
import type { OutboxEvent } from '../../lib/events.ts';
import { newId } from '../../lib/ids.ts';
import { fromJson } from '../../lib/json.ts';
import { matches } from './webhook.events.ts';
import { MAX_ATTEMPTS } from './webhook.retry.ts';

/** The delivered body (CONTRACT §10.1): fixed at fan-out so every attempt sends the same bytes. */
/** The entity an event is about (`data.id`), which orders its deliveries; else the event itself. */
export function orderingKey(data: unknown, eventId: string): string {
  const id = data && typeof data === 'object' ? (data as { id?: unknown }).id : undefined;
  return typeof id === 'string' && id !== '' ? id.slice(0, 200) : eventId;
}

export function deliveryBody(
  event: Pick<OutboxEvent, 'id' | 'type' | 'store_id' | 'created_at' | 'data'>,
): string {
  return JSON.stringify({
    id: event.id,
    event: event.type,
    store_id: event.store_id,
    created_at: event.created_at,
    data: event.data,
  });
}

/**
 * One delivery per enabled webhook of the event's store whose subscriptions match. Runs inside the
 * outbox dispatch transaction (exactly once per event), or inside the store deletion for events
 * whose webhooks are about to disappear; the unique (webhook, event) pair absorbs any overlap.
 */
export async function fanOut(db: Db, event: OutboxEvent, now: number): Promise<number> {
  if (!event.store_id) return 0;
  const hooks = await db
    .selectFrom('webhooks')
    .selectAll()
    .where('store_id', '=', event.store_id)
    .where('enabled', '=', 1)
    .orderBy('created_at')
    .execute();
  let n = 0;
  let body: string | null = null;
  for (const hook of hooks) {
    const subs = fromJson<WebhookEventSubscription[]>(hook.events, []);
    if (hook.since_seq >= event.seq) continue;
    if (!subs.some((s) => matches(s, event.type, event.data))) continue;
    body ??= deliveryBody(event);
    await db
      .insertInto('webhook_deliveries')
      .values({
        id: newId('whd'),
        webhook_id: hook.id,
        store_id: event.store_id,
        event_id: event.id,
        event: event.type,
        payload: body,
        ordering_key: orderingKey(event.data, event.id),
        url: hook.url,
        headers: hook.headers,
        secret_sealed: hook.secret_sealed,
        status: 'pending',
        attempts: 0,
        max_attempts: MAX_ATTEMPTS,
        last_status_code: null,
        last_error: null,
        next_attempt_at: now,
        locked_by: null,
        locked_until: null,
        delivered_at: null,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.columns(['webhook_id', 'event_id']).doNothing())
      .execute();
    n++;
  }
  return n;
}

/**
 * Before a store's rows cascade away: fan out its events not dispatched yet (including the
 * `store.deleted` just written), while its webhooks still exist. Deliveries keep a snapshot of
 * their target, so they are sent after the store is gone.
 */
export async function fanOutBeforeStoreDelete(db: Db, storeId: string, now: number): Promise<void> {
  const pending = await db
    .selectFrom('outbox_events')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('dispatched_at', 'is', null)
    .orderBy('seq')
    .execute();
  for (const row of pending) await fanOut(db, { ...row, data: fromJson(row.data, null) }, now);
}
