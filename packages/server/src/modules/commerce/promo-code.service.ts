import type {
  Condition,
  CreatePromoCodeBody,
  Discount,
  ListPromoCodesQuery,
  PageOf,
  PromoCode,
  UpdatePromoCodeBody,
} from '@openarky/contract';
import { withTx, type Db, type StoreCtx } from '../../lib/context.ts';
import { alreadyExists, notFound, validationError, type FieldError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { fromJson, toJson } from '../../lib/json.ts';
import { paginate } from '../../lib/pagination.ts';
import { isUniqueViolation } from '../../db/create-db.ts';
import { listMarkets } from '../markets/index.ts';
import type { PromoCodeTable } from './commerce.table.ts';

export function toPromoCode(row: PromoCodeTable): PromoCode {
  return {
    id: row.id,
    store_id: row.store_id,
    code: row.code,
    discounts: fromJson<Discount[]>(row.discounts, []),
    conditions: fromJson<Condition[]>(row.conditions, []),
    status: row.status,
    uses: row.uses,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** Discount markets are stored as keys; a market id is accepted and translated (CONTRACT §6.8). */
async function normalizeDiscounts(db: Db, storeId: string, discounts: Discount[]): Promise<Discount[]> {
  const markets = await listMarkets(db, storeId);
  const errors: FieldError[] = [];
  const out = discounts.map((d, i) => {
    const m = markets.find((x) => x.key === d.market_id.toLowerCase() || x.id === d.market_id);
    if (!m) errors.push({ field: `discounts.${i}.market_id`, reason: 'not_found' });
    return { ...d, market_id: m?.key ?? d.market_id };
  });
  if (errors.length) throw validationError(errors);
  return out;
}

function derived(conditions: Condition[]) {
  const find = <T extends Condition['type']>(t: T) =>
    conditions.find((c): c is Extract<Condition, { type: T }> => c.type === t);
  const range = find('date_range')?.value.value;
  return {
    max_uses: find('max_uses')?.value.value ?? null,
    starts_at: range?.start ?? null,
    expires_at: range?.end ?? null,
  };
}

async function rowOrThrow(db: Db, storeId: string, id: string): Promise<PromoCodeTable> {
  const row = await db
    .selectFrom('promo_codes')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('promo_code', `No promo code ${id}`);
  return row;
}

export async function createPromoCode(ctx: StoreCtx, body: CreatePromoCodeBody): Promise<PromoCode> {
  const now = ctx.now();
  const discounts = await normalizeDiscounts(ctx.db, ctx.store.id, body.discounts);
  const row: PromoCodeTable = {
    id: newId('promo'),
    store_id: ctx.store.id,
    code: body.code,
    code_canonical: body.code.toUpperCase(),
    discounts: toJson(discounts),
    conditions: toJson(body.conditions),
    status: body.status ?? 'active',
    uses: 0,
    ...derived(body.conditions),
    created_at: now,
    updated_at: now,
  };
  try {
    // The answer comes back from the transaction: a replay answers with the row that committed.
    return await withTx(ctx, async (tx) => {
      await tx.db.insertInto('promo_codes').values(row).execute();
      return toPromoCode(row);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw alreadyExists('code');
    throw error;
  }
}

export async function updatePromoCode(
  ctx: StoreCtx,
  id: string,
  body: UpdatePromoCodeBody,
): Promise<PromoCode> {
  return withTx(ctx, async (tx) => {
    const row = await rowOrThrow(tx.db, ctx.store.id, id);
    const conditions = body.conditions ?? fromJson<Condition[]>(row.conditions, []);
    const code = body.code ?? row.code;
    if (code.toUpperCase() !== row.code_canonical) {
      const taken = await tx.db
        .selectFrom('promo_codes')
        .select('id')
        .where('store_id', '=', ctx.store.id)
        .where('code_canonical', '=', code.toUpperCase())
        .executeTakeFirst();
      if (taken) throw alreadyExists('code');
    }
    const set = {
      code,
      code_canonical: code.toUpperCase(),
      discounts: body.discounts
        ? toJson(await normalizeDiscounts(tx.db, ctx.store.id, body.discounts))
        : row.discounts,
      conditions: toJson(conditions),
      status: body.status ?? row.status,
      ...derived(conditions),
      updated_at: tx.now(),
    };
    await tx.db.updateTable('promo_codes').set(set).where('id', '=', id).execute();
    return toPromoCode({ ...row, ...set });
  });
}

export async function deletePromoCode(ctx: StoreCtx, id: string): Promise<void> {
  await withTx(ctx, async (tx) => {
    await rowOrThrow(tx.db, ctx.store.id, id);
    await tx.db.deleteFrom('promo_codes').where('id', '=', id).execute();
  });
}

export async function getPromoCode(ctx: StoreCtx, id: string): Promise<PromoCode> {
  return toPromoCode(await rowOrThrow(ctx.db, ctx.store.id, id));
}

export async function findPromoCodes(ctx: StoreCtx, q: ListPromoCodesQuery): Promise<PageOf<PromoCode>> {
  let qb = ctx.db.selectFrom('promo_codes').selectAll().where('store_id', '=', ctx.store.id);
  if (q.ids?.length) qb = qb.where('id', 'in', q.ids);
  if (q.status) qb = qb.where('status', '=', q.status);
  if (q.query) qb = qb.where('code_canonical', 'like', `%${q.query.toUpperCase().replace(/[%_\\]/g, '')}%`);
  if (q.created_at_from !== undefined) qb = qb.where('created_at', '>=', q.created_at_from);
  if (q.created_at_to !== undefined) qb = qb.where('created_at', '<=', q.created_at_to);
  if (q.starts_at_from !== undefined) qb = qb.where('starts_at', '>=', q.starts_at_from);
  if (q.starts_at_to !== undefined) qb = qb.where('starts_at', '<=', q.starts_at_to);
  if (q.expires_at_from !== undefined) qb = qb.where('expires_at', '>=', q.expires_at_from);
  if (q.expires_at_to !== undefined) qb = qb.where('expires_at', '<=', q.expires_at_to);
  const page = await paginate(qb, q, {
    columns: { created_at: 'created_at', updated_at: 'updated_at', code: 'code_canonical' },
  });
  return { ...page, items: page.items.map(toPromoCode) };
}

/** A promo code by code (ignoring case) or id, for quotes. */
export async function findPromoForQuote(
  db: Db,
  storeId: string,
  code: string | null | undefined,
  id: string | null | undefined,
): Promise<PromoCodeTable | undefined> {
  let qb = db.selectFrom('promo_codes').selectAll().where('store_id', '=', storeId);
  qb = code ? qb.where('code_canonical', '=', code.toUpperCase()) : qb.where('id', '=', id ?? '');
  return qb.executeTakeFirst();
}
