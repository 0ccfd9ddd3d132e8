import type { Static } from '@sinclair/typebox';
import type { CreateWebhookBody, TestWebhookBody, UpdateWebhookBody, Webhook } from '@openarky/contract';
import { isUniqueViolation } from '../../db/create-db.ts';
import { withTx, type StoreCtx } from '../../lib/context.ts';
import { alreadyExists, notFound, validationError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { toJson } from '../../lib/json.ts';
import { checkOutboundUrl, OutboundError, outboundRequest } from '../../lib/outbound.ts';
import { seal } from '../../lib/sealed.ts';
import { checkHeaders, normalizeEvents, RESERVED_HEADERS } from './webhook.events.ts';
import { toWebhook } from './webhook.mapper.ts';
import { newWebhookSecret, signatureHeaders } from './webhook.sign.ts';

/** 400 at create/update time for a URL the delivery would refuse (CONTRACT §10.1, SSRF). */
export async function assertPublicUrl(ctx: StoreCtx, url: string, field: string): Promise<void> {
  try {
    await checkOutboundUrl(url, ctx.config, { requireResolution: false });
  } catch (error) {
    if (error instanceof OutboundError)
      throw validationError({ field, reason: error.reason, message: `${field}: ${error.message}` });
    throw error;
  }
}

async function webhookRow(ctx: StoreCtx, id: string) {
  const row = await ctx.db
    .selectFrom('webhooks')
    .selectAll()
    .where('store_id', '=', ctx.store.id)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('webhook', `No webhook ${id}`);
  return row;
}

export async function listWebhooks(ctx: StoreCtx): Promise<Webhook[]> {
  const rows = await ctx.db
    .selectFrom('webhooks')
    .selectAll()
    .where('store_id', '=', ctx.store.id)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => toWebhook(r, ctx.config));
}

export async function getWebhook(ctx: StoreCtx, id: string): Promise<Webhook> {
  return toWebhook(await webhookRow(ctx, id), ctx.config);
}

export async function createWebhook(
  ctx: StoreCtx,
  input: Static<typeof CreateWebhookBody>,
): Promise<Webhook> {
  const events = normalizeEvents(input.events, 'events');
  const headers = checkHeaders(input.headers ?? {}, 'headers');
  await assertPublicUrl(ctx, input.url, 'url');
  const now = ctx.now();
  const last = await ctx.db
    .selectFrom('outbox_events')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .executeTakeFirst();
  const row = {
    id: newId('wh'),
    store_id: ctx.store.id,
    key: input.key,
    url: input.url,
    events: toJson(events),
    headers: toJson(headers),
    secret_sealed: seal(ctx.config, input.secret ?? newWebhookSecret()),
    enabled: input.enabled === false ? 0 : 1,
    since_seq: Number(last?.seq ?? 0),
    created_at: now,
    updated_at: now,
  };
  try {
    // The answer (with the secret, shown once) comes back from the transaction: a replay answers
    // with the webhook that committed. Recorded results are sealed like stored responses.
    return await withTx(ctx, async (tx) => {
      await tx.db.insertInto('webhooks').values(row).execute();
      return toWebhook(row, ctx.config);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw alreadyExists('key', `Webhook key ${input.key} is taken`);
    throw error;
  }
}

/** Replaces every field given (events and headers as a whole); omitted fields keep their value. */
export async function updateWebhook(
  ctx: StoreCtx,
  id: string,
  input: Static<typeof UpdateWebhookBody>,
): Promise<Webhook> {
  const events = input.events ? normalizeEvents(input.events, 'events') : undefined;
  const headers = input.headers ? checkHeaders(input.headers, 'headers') : undefined;
  if (input.url !== undefined) await assertPublicUrl(ctx, input.url, 'url');
  try {
    return await withTx(ctx, async (tx) => {
      await webhookRow(tx, id);
      await tx.db
        .updateTable('webhooks')
        .set({
          ...(input.key !== undefined ? { key: input.key } : {}),
          ...(input.url !== undefined ? { url: input.url } : {}),
          ...(events ? { events: toJson(events) } : {}),
          ...(headers ? { headers: toJson(headers) } : {}),
          ...(input.secret !== undefined ? { secret_sealed: seal(ctx.config, input.secret) } : {}),
          ...(input.enabled !== undefined ? { enabled: input.enabled ? 1 : 0 } : {}),
          updated_at: ctx.now(),
        })
        .where('id', '=', id)
        .execute();
      return toWebhook(await webhookRow(tx, id), ctx.config);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw alreadyExists('key', `Webhook key ${input.key} is taken`);
    throw error;
  }
}

/** Deletes the webhook and its delivery log; pending deliveries are not sent any more. */
export async function deleteWebhook(ctx: StoreCtx, id: string): Promise<void> {
  await withTx(ctx, async (tx) => {
    await webhookRow(tx, id);
    await tx.db.deleteFrom('webhook_deliveries').where('webhook_id', '=', id).execute();
    await tx.db.deleteFrom('webhooks').where('id', '=', id).execute();
  });
}

/**
 * Sends one signed (when a secret is given) delivery of the first listed event with
 * `"test": true` and reports the receiver's answer (CONTRACT §10.1).
 */
export async function testWebhook(
  ctx: StoreCtx,
  input: Static<typeof TestWebhookBody>,
): Promise<{ tested: boolean; status_code?: number; error?: string }> {
  const events = normalizeEvents(input.webhook.events, 'webhook.events');
  const headers = checkHeaders(input.webhook.headers ?? {}, 'webhook.headers');
  await assertPublicUrl(ctx, input.webhook.url, 'webhook.url');
  const id = newId('evt');
  const event = events[0]!.event;
  const body = JSON.stringify({
    id,
    event,
    store_id: ctx.store.id,
    created_at: ctx.now(),
    data: {},
    test: true,
  });
  const own = Object.fromEntries(
    Object.entries(headers).filter(([k]) => !RESERVED_HEADERS.has(k.toLowerCase())),
  );
  try {
    const res = await outboundRequest(
      input.webhook.url,
      {
        method: 'POST',
        headers: {
          ...own,
          'content-type': 'application/json',
          'x-arky-event': event,
          ...signatureHeaders(input.webhook.secret ?? null, id, body),
        },
        body,
      },
      ctx.config,
    );
    const ok = res.status >= 200 && res.status < 300;
    return {
      tested: ok,
      status_code: res.status,
      ...(ok ? {} : { error: `receiver answered HTTP ${res.status}` }),
    };
  } catch (error) {
    if (error instanceof OutboundError) return { tested: false, error: error.message };
    throw error;
  }
}
