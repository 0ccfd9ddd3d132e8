import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { PageOf, WebhookDelivery } from '@openarky/contract';
import type { Config } from '../../config.ts';
import { forUpdateSkipLocked } from '../../db/create-db.ts';
import type { Database } from '../../db/types.ts';
import type { Db } from '../../lib/context.ts';
import { notFound } from '../../lib/errors.ts';
import { randomBase62 } from '../../lib/ids.ts';
import { fromJson } from '../../lib/json.ts';
import { paginate } from '../../lib/pagination.ts';
import { OutboundError, outboundRequest } from '../../lib/outbound.ts';
import { unseal } from '../../lib/sealed.ts';
import { RESERVED_HEADERS } from './webhook.events.ts';
import { toDelivery } from './webhook.mapper.ts';
import { signatureHeaders } from './webhook.sign.ts';
import { MAX_ATTEMPTS, retryDelaySeconds } from './webhook.retry.ts';
import type { WebhookDeliveryTable } from './webhook.table.ts';

/** How long a claim is ours; renewed for each row as it is sent (longer than the 10 s timeout). */
const LEASE_SECONDS = 20;
const SEND_TIMEOUT_MS = 10_000;
/** Rows looked at per claim, and the longest run one webhook gets per claim. */
const CANDIDATES = 200;
const RUN_MAX = 50;

type Claimed = Omit<WebhookDeliveryTable, 'seq'> & { seq: number };

export interface DeliveryDeps {
  db: Kysely<Database>;
  config: Config;
  log: FastifyBaseLogger;
  now: () => number;
}

/**
 * Sends due webhook deliveries; every process runs one. Order is kept per webhook and entity (the
 * delivery's `ordering_key`): a failing delivery holds back only the later events of the same
 * entity, never the rest of the webhook's queue (no head-of-line blocking). A process
 * claims a *run* — the oldest pending deliveries of a webhook and entity, consecutive from its head — under
 * `FOR UPDATE SKIP LOCKED` and a lease, and sends them one after the other, stopping at the first
 * failure. Another process can only start at a head, and the head being sent is always leased, so
 * two processes never work on one webhook at once. The attempt number is taken right before each
 * send by the lease holder, so no (delivery, attempt) pair is ever sent twice; a process killed
 * mid-run leaves its rows to whoever claims them when the lease ends.
 */
export class WebhookDeliverer {
  readonly #worker = `${hostname()}:${process.pid}:${randomBase62(6)}`;

  constructor(private readonly deps: DeliveryDeps) {}

  /** Claims runs and sends them; returns how many attempts were made. */
  async runOnce(): Promise<number> {
    const runs = await this.#claim();
    const sent = await Promise.all(runs.map((run) => this.#sendRun(run)));
    return sent.reduce((a, b) => a + b, 0);
  }

  async #claim(): Promise<Claimed[][]> {
    const now = this.deps.now();
    return this.deps.db.transaction().execute(async (trx) => {
      const candidates = await forUpdateSkipLocked(
        trx,
        trx
          .selectFrom('webhook_deliveries')
          .selectAll()
          .where('status', '=', 'pending')
          .where('next_attempt_at', '<=', now)
          .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
          .orderBy('seq')
          .limit(CANDIDATES),
      ).execute();
      if (!candidates.length) return [];
      // A run is the longest prefix of a webhook's pending deliveries that we hold: a pending row
      // we could not take (leased, locked by a concurrent claim, waiting for a retry) ends it.
      const hooks = [...new Set(candidates.map((c) => c.webhook_id))];
      const maxSeq = candidates[candidates.length - 1]!.seq;
      const pending = await trx
        .selectFrom('webhook_deliveries')
        .select(['webhook_id', 'ordering_key', 'seq'])
        .where('status', '=', 'pending')
        .where('webhook_id', 'in', hooks)
        .where('seq', '<=', maxSeq)
        .orderBy('seq')
        .execute();
      const held = new Map(candidates.map((c) => [c.seq, c]));
      const runs = new Map<string, Claimed[]>();
      const broken = new Set<string>();
      for (const p of pending) {
        const group = `${p.webhook_id}\u0000${p.ordering_key ?? ''}`;
        if (broken.has(group)) continue;
        const row = held.get(p.seq);
        const run = runs.get(group) ?? [];
        if (!row || run.length >= RUN_MAX) {
          broken.add(group);
          continue;
        }
        run.push(row);
        runs.set(group, run);
      }
      const ids = [...runs.values()].flat().map((r) => r.id);
      if (!ids.length) return [];
      await trx
        .updateTable('webhook_deliveries')
        .set({ locked_by: this.#worker, locked_until: now + LEASE_SECONDS, updated_at: now })
        .where('id', 'in', ids)
        .execute();
      return [...runs.values()];
    });
  }

  /** Takes the next attempt number of a leased row; false when the lease was lost. */
  async #take(db: Db, d: Claimed): Promise<boolean> {
    const now = this.deps.now();
    const taken = await db
      .updateTable('webhook_deliveries')
      .set({ attempts: d.attempts + 1, locked_until: now + LEASE_SECONDS, updated_at: now })
      .where('id', '=', d.id)
      .where('locked_by', '=', this.#worker)
      .where('status', '=', 'pending')
      .where('attempts', '=', d.attempts)
      .executeTakeFirst();
    return Number(taken.numUpdatedRows) === 1;
  }

  /**
   * Sends a run in order; the first failure releases the rest. Recording one outcome and taking
   * the next attempt number share a transaction (one commit per delivery). Returns attempts made.
   */
  async #sendRun(run: Claimed[]): Promise<number> {
    const target = await this.#target(run[0]!);
    let made = 0;
    let taken = await this.#take(this.deps.db, run[0]!);
    for (const [i, d] of run.entries()) {
      if (!taken) break; // the lease was lost: stop here, order stays intact
      made++;
      const current = { ...d, attempts: d.attempts + 1 };
      const outcome = await this.#attempt(current, target);
      const next = outcome.done ? run[i + 1] : undefined;
      taken = await this.deps.db.transaction().execute(async (trx) => {
        await this.#record(trx, current, outcome);
        if (!outcome.done) {
          const rest = run.slice(i + 1).map((r) => r.id);
          if (rest.length)
            await trx
              .updateTable('webhook_deliveries')
              .set({ locked_by: null, locked_until: null })
              .where('id', 'in', rest)
              .where('locked_by', '=', this.#worker)
              .execute();
        }
        return next ? this.#take(trx, next) : false;
      });
    }
    return made;
  }

  /** The live webhook's target when it still exists (a fixed URL applies to pending retries), else the snapshot. */
  async #target(d: Claimed): Promise<Target> {
    const live = await this.deps.db
      .selectFrom('webhooks')
      .select(['url', 'headers', 'secret_sealed'])
      .where('id', '=', d.webhook_id)
      .executeTakeFirst();
    const t = live ?? { url: d.url, headers: d.headers, secret_sealed: d.secret_sealed };
    const own = Object.entries(fromJson<Record<string, string>>(t.headers, {})).filter(
      ([k]) => !RESERVED_HEADERS.has(k.toLowerCase()),
    );
    return {
      url: t.url,
      headers: Object.fromEntries(own),
      secret: unseal(this.deps.config, t.secret_sealed),
    };
  }

  /** One attempt (its number already taken). */
  async #attempt(d: Claimed, target: Target): Promise<Outcome> {
    const { config, log } = this.deps;
    try {
      const res = await outboundRequest(
        target.url,
        {
          method: 'POST',
          headers: {
            ...target.headers,
            'content-type': 'application/json',
            'user-agent': 'OpenArky-Webhooks/1.0',
            'x-arky-event': d.event,
            'x-arky-attempt': String(d.attempts),
            'x-arky-delivery': d.id,
            ...signatureHeaders(target.secret, d.event_id, d.payload),
          },
          body: d.payload,
          timeoutMs: SEND_TIMEOUT_MS,
        },
        config,
      );
      const done = res.status >= 200 && res.status < 300;
      return { done, status: res.status, error: done ? null : `receiver answered HTTP ${res.status}` };
    } catch (e) {
      if (!(e instanceof OutboundError)) log.error({ err: e, delivery: d.id }, 'webhook delivery crashed');
      return { done: false, status: null, error: e instanceof OutboundError ? e.message : 'delivery failed' };
    }
  }

  /** Stores an attempt's outcome and releases the row (only while we still hold it). */
  async #record(db: Db, d: Claimed, outcome: Outcome): Promise<void> {
    const now = this.deps.now();
    const failed = !outcome.done && d.attempts >= d.max_attempts;
    await db
      .updateTable('webhook_deliveries')
      .set({
        status: outcome.done ? 'delivered' : failed ? 'failed' : 'pending',
        last_status_code: outcome.status,
        last_error: outcome.error,
        next_attempt_at:
          outcome.done || failed
            ? null
            : now + retryDelaySeconds(d.attempts, this.deps.config.webhookRetryBaseSeconds),
        delivered_at: outcome.done ? now : null,
        locked_by: null,
        locked_until: null,
        updated_at: now,
      })
      .where('id', '=', d.id)
      .where('locked_by', '=', this.#worker)
      .where('attempts', '=', d.attempts)
      .execute();
    if (!outcome.done) {
      this.deps.log.warn(
        { delivery: d.id, webhook: d.webhook_id, event: d.event, attempt: d.attempts, error: outcome.error },
        failed ? 'webhook delivery failed for good' : 'webhook delivery failed; will retry',
      );
    }
  }
}

interface Outcome {
  done: boolean;
  status: number | null;
  error: string | null;
}

interface Target {
  url: string;
  headers: Record<string, string>;
  secret: string;
}

/** A webhook's delivery log, newest first by default; `created_at` order is creation (seq) order. */
export async function listDeliveries(
  db: Db,
  webhookId: string,
  q: {
    limit?: number | undefined;
    cursor?: string | undefined;
    sort_direction?: 'asc' | 'desc' | undefined;
    status?: 'pending' | 'delivered' | 'failed' | undefined;
  },
): Promise<PageOf<WebhookDelivery>> {
  let qb = db.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', webhookId);
  if (q.status) qb = qb.where('status', '=', q.status);
  const page = await paginate(qb, q, {
    columns: { created_at: 'webhook_deliveries.seq' },
    idColumn: 'webhook_deliveries.id',
  });
  return { ...page, items: page.items.map(toDelivery) };
}

/** Queues any delivery again now, with a fresh set of attempts (its attempt numbers keep counting). */
export async function redeliver(
  db: Db,
  webhookId: string,
  deliveryId: string,
  now: number,
): Promise<WebhookDelivery> {
  const row = await db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('webhook_id', '=', webhookId)
    .where('id', '=', deliveryId)
    .executeTakeFirst();
  if (!row) throw notFound('delivery', `No delivery ${deliveryId}`);
  await db
    .updateTable('webhook_deliveries')
    .set({
      status: 'pending',
      next_attempt_at: now,
      max_attempts: row.attempts + MAX_ATTEMPTS,
      updated_at: now,
    })
    .where('id', '=', deliveryId)
    .execute();
  return toDelivery({
    ...row,
    status: 'pending',
    next_attempt_at: now,
    max_attempts: row.attempts + MAX_ATTEMPTS,
    updated_at: now,
  });
}
