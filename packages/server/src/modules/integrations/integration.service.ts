import type { Static } from '@sinclair/typebox';
import type { CreateIntegrationBody, Integration, UpdateIntegrationBody } from '@openarky/contract';
import type { Config } from '../../config.ts';
import { isUniqueViolation } from '../../db/create-db.ts';
import { withTx, type Db, type StoreCtx } from '../../lib/context.ts';
import { alreadyExists, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { readRow, requireDef, toColumns, validateProvider } from './integration.fields.ts';
import { publicProvider, toIntegration } from './integration.mapper.ts';
import type { IntegrationTable } from './integration.table.ts';

async function integrationRow(ctx: StoreCtx, id: string): Promise<IntegrationTable> {
  const row = await ctx.db
    .selectFrom('integrations')
    .selectAll()
    .where('store_id', '=', ctx.store.id)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('integration', `No integration ${id}`);
  return row;
}

export async function listIntegrations(ctx: StoreCtx): Promise<Integration[]> {
  const rows = await ctx.db
    .selectFrom('integrations')
    .selectAll()
    .where('store_id', '=', ctx.store.id)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toIntegration);
}

export async function getIntegration(ctx: StoreCtx, id: string): Promise<Integration> {
  return toIntegration(await integrationRow(ctx, id));
}

export async function createIntegration(
  ctx: StoreCtx,
  input: Static<typeof CreateIntegrationBody>,
): Promise<Integration> {
  const def = requireDef(input.provider.type);
  const provider = await validateProvider(def, input.provider, null, ctx.config);
  const now = ctx.now();
  const row: IntegrationTable = {
    id: newId('int'),
    store_id: ctx.store.id,
    key: input.key,
    ...toColumns(provider, ctx.config),
    created_at: now,
    updated_at: now,
  };
  try {
    // The answer comes back from the transaction: a replay answers with the row that committed.
    return await withTx(ctx, async (tx) => {
      await tx.db.insertInto('integrations').values(row).execute();
      return toIntegration(row);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw alreadyExists('key', `Integration key ${input.key} is taken`);
    throw error;
  }
}

/** Same `type`: fields merge (omitted ones, secrets included, keep their value); another type replaces the provider. */
export async function updateIntegration(
  ctx: StoreCtx,
  id: string,
  input: Static<typeof UpdateIntegrationBody>,
): Promise<Integration> {
  try {
    return await withTx(ctx, async (tx) => {
      const row = await integrationRow(tx, id);
      let columns = {};
      if (input.provider) {
        const def = requireDef(input.provider.type);
        const base = def.type === row.type ? readRow(row, ctx.config) : null;
        columns = toColumns(await validateProvider(def, input.provider, base, ctx.config), ctx.config);
      }
      await tx.db
        .updateTable('integrations')
        .set({ ...columns, ...(input.key !== undefined ? { key: input.key } : {}), updated_at: ctx.now() })
        .where('id', '=', id)
        .execute();
      return toIntegration(await integrationRow(tx, id));
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw alreadyExists('key', `Integration key ${input.key} is taken`);
    throw error;
  }
}

export async function deleteIntegration(ctx: StoreCtx, id: string): Promise<void> {
  await withTx(ctx, async (tx) => {
    await integrationRow(tx, id);
    await tx.db.deleteFrom('integrations').where('id', '=', id).execute();
  });
}

/** The integration a category uses (CONTRACT §10.3 "Active config"), or undefined. */
export async function activeIntegration(
  db: Db,
  storeId: string,
  category: 'payment' | 'shipping' | 'analytics',
): Promise<IntegrationTable | undefined> {
  const rule = {
    payment: ['stripe', 'active_for_card_payments'],
    shipping: ['shippo', 'active_for_fulfillment'],
  } as const;
  if (category === 'analytics') return undefined;
  const [type, flag] = rule[category];
  const rows = await db
    .selectFrom('integrations')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('type', '=', type)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.find((r) => (JSON.parse(r.config) as Record<string, unknown>)[flag] === true) ?? rows[0];
}

export async function getIntegrationConfig(ctx: StoreCtx, type: 'payment' | 'shipping' | 'analytics') {
  const row = await activeIntegration(ctx.db, ctx.store.id, type);
  if (!row) throw notFound('integration', `No ${type} integration is configured`);
  return {
    integration_id: row.id,
    key: row.key,
    category: toIntegration(row).category,
    provider: publicProvider(row.type, row.config),
  };
}

/**
 * The store's active Stripe credentials, secrets included, for the payments module; null when
 * there is none. Never put the result in a response or a log line.
 */
export async function stripeCredentials(db: Db, config: Config, storeId: string) {
  const row = await activeIntegration(db, storeId, 'payment');
  if (!row) return null;
  const p = readRow(row, config);
  return {
    integration_id: row.id,
    secret_key: p.secrets.secret_key ?? '',
    webhook_secret: p.secrets.webhook_secret ?? null,
    publishable_key: String(p.config.publishable_key ?? ''),
    currency: String(p.config.currency ?? ''),
  };
}
