import type { Kysely } from 'kysely';
import type { EventName, EventPayload } from '@openarky/contract';
import type { Database } from '../db/types.ts';
import type { Ctx, Db } from './context.ts';
import { newId } from './ids.ts';
import { fromJson, toJson } from './json.ts';
import { forUpdateSkipLocked } from '../db/create-db.ts';

/** An event as stored in the outbox and handed to subscribers. */
export interface OutboxEvent {
  id: string;
  seq: number;
  store_id: string | null;
  type: string;
  data: unknown;
  created_at: number;
}

/** An `outbox_events` row before it is inserted (`seq` comes from the database). */
export interface OutboxRow {
  id: string;
  store_id: string | null;
  type: string;
  data: string;
  created_at: number;
  dispatched_at: null;
}

/**
 * Records an event in the caller's transaction (STYLE habit 8). It is handed to subscribers only
 * after that transaction commits, by whichever process claims it first. `type` is a name of the
 * contract's `EVENT_PAYLOADS` map and `data` its payload type: an unknown name does not compile.
 * Under `ctx.outbox` the row is only collected: the transaction that set it inserts it.
 */
export async function emit<E extends EventName>(
  ctx: Pick<Ctx, 'db' | 'now' | 'outbox'>,
  type: E,
  data: EventPayload<E>,
  storeId?: string | null,
): Promise<string> {
  const row: OutboxRow = {
    id: newId('evt'),
    store_id: storeId ?? null,
    type,
    data: toJson(data),
    created_at: ctx.now(),
    dispatched_at: null,
  };
  if (ctx.outbox) ctx.outbox.push(row);
  else await ctx.db.insertInto('outbox_events').values(row).execute();
  return row.id;
}

/** Records many events of one store in one statement (bulk imports); same guarantees as `emit`. */
export async function emitMany<E extends EventName>(
  ctx: Pick<Ctx, 'db' | 'now'>,
  events: { type: E; data: EventPayload<E> }[],
  storeId: string | null,
): Promise<void> {
  if (!events.length) return;
  const now = ctx.now();
  await ctx.db
    .insertInto('outbox_events')
    .values(
      events.map((e) => ({
        id: newId('evt'),
        store_id: storeId,
        type: e.type,
        data: toJson(e.data),
        created_at: now,
        dispatched_at: null,
      })),
    )
    .execute();
}

/**
 * A subscriber runs inside the dispatch transaction and may only write to the database (e.g.
 * enqueue deliveries), so fan-out happens exactly once together with marking the event dispatched.
 */
export type EventSubscriber = (db: Db, event: OutboxEvent) => Promise<void>;

export class EventBus {
  readonly #subscribers: EventSubscriber[] = [];

  subscribe(subscriber: EventSubscriber): void {
    this.#subscribers.push(subscriber);
  }

  /** Claims up to `batch` undispatched events in creation order and fans them out. Returns how many. */
  async dispatch(db: Kysely<Database>, now: number, batch = 100): Promise<number> {
    const run = async (trx: Db): Promise<number> => {
      const rows = await forUpdateSkipLocked(
        trx,
        trx
          .selectFrom('outbox_events')
          .selectAll()
          .where('dispatched_at', 'is', null)
          .orderBy('seq')
          .limit(batch),
      ).execute();
      for (const row of rows) {
        const event: OutboxEvent = { ...row, data: fromJson(row.data, null) };
        for (const subscriber of this.#subscribers) await subscriber(trx, event);
      }
      if (rows.length) {
        await trx
          .updateTable('outbox_events')
          .set({ dispatched_at: now })
          .where(
            'seq',
            'in',
            rows.map((r) => r.seq),
          )
          .execute();
      }
      return rows.length;
    };
    return db.transaction().execute(run);
  }
}
