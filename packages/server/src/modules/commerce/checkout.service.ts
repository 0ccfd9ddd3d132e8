import type { CatalogBlockInput, CheckoutResult } from '@openarky/contract';
import { withTx, type Ctx, type Db } from '../../lib/context.ts';
import { AppError, validationError, type FieldError } from '../../lib/errors.ts';
import { emit } from '../../lib/events.ts';
import { newId } from '../../lib/ids.ts';
import { toJson } from '../../lib/json.ts';
import { normalizeBlocks, reserveStock } from '../catalog/index.ts';
import type { OrderTable } from './commerce.table.ts';
import { loadOrder } from './order.mapper.ts';
import { changeWorkflow } from './order.workflow.ts';
import { computeQuote, type QuoteInput, type QuoteOptions } from './quote.service.ts';

export interface CheckoutInput extends QuoteInput {
  forms?: unknown[] | undefined;
  blocks?: CatalogBlockInput[] | undefined;
  profile_id?: string | null | undefined;
}

const ADDRESS_FIELDS = ['name', 'street1', 'city', 'state', 'postal_code', 'country'] as const;

/** Next per-store order number ("1001" first): a counter row updated in the checkout transaction. */
async function nextOrderNumber(db: Db, storeId: string): Promise<number> {
  await db.insertInto('order_counters').values({ store_id: storeId, last_number: 1000 }).onConflict((oc) => oc.column('store_id').doNothing()).execute();
  const row = await db
    .updateTable('order_counters')
    .set((eb) => ({ last_number: eb('last_number', '+', 1) }))
    .where('store_id', '=', storeId)
    .returning('last_number')
    .executeTakeFirstOrThrow();
  return Number(row.last_number);
}

/**
 * Checkout (CONTRACT §6.4), all in one transaction: quote, address rules, order and items,
 * stock reservation by conditional updates, cash confirmation, cart conversion and events. Any
 * failure rolls everything back.
 */
export async function checkout(ctx: Ctx, storeId: string, input: CheckoutInput, opts: QuoteOptions & { cartId?: string }): Promise<CheckoutResult> {
  return withTx(ctx, async (tx) => {
    const now = tx.now();
    const { quote, lines, market, zone, shippingMethod, promo } = await computeQuote(tx, storeId, input, opts);
    const blocked = lines.find((l) => !l.availability.ok);
    if (blocked) {
      const code = blocked.type === 'service' ? 'slot_unavailable' : 'insufficient_stock';
      throw new AppError(code, `items.${blocked.index} cannot be reserved (${blocked.availability.reason})`, { field: `items.${blocked.index}` });
    }
    const hasProducts = lines.some((l) => l.type === 'product');
    if (hasProducts && zone?.shipping_methods.length && !shippingMethod) {
      throw validationError({ field: 'shipping_method_id', reason: 'required', message: 'Choose a shipping method for this address' });
    }
    if (hasProducts && shippingMethod && (shippingMethod.type ?? 'shipping') === 'shipping') {
      const address = (input.shipping_address ?? {}) as Record<string, unknown>;
      const missing: FieldError[] = ADDRESS_FIELDS.filter((f) => typeof address[f] !== 'string' || !(address[f] as string).trim()).map((f) => ({ field: `shipping_address.${f}`, reason: 'required' }));
      if (missing.length) throw validationError(missing, 'A complete shipping address is required');
    }
    const method = quote.payment_method?.id ?? market.payment_methods[0]?.id ?? 'cash';
    if (!market.payment_methods.some((m) => m.id === method)) throw new AppError('payment_method_not_allowed', `Payment method ${method} is not offered in market ${market.key}`);
    if (method === 'credit_card') throw new AppError('payment_provider_not_configured', 'Card payments need an active Stripe integration for this store');

    // A profile orders for itself; an admin may order on behalf of a profile of the store.
    const profileId = opts.trusted ? (input.profile_id ?? null) : opts.profileId;
    const profile = profileId ? await tx.db.selectFrom('profiles').select(['id', 'verified', 'email']).where('id', '=', profileId).where('store_id', '=', storeId).executeTakeFirst() : undefined;
    if (profileId && !profile) throw validationError({ field: 'profile_id', reason: 'not_found' });

    const reservations = await reserveStock(tx.db, lines, now, shippingMethod?.type === 'pickup' ? (shippingMethod.location_id ?? null) : null);
    const seq = await nextOrderNumber(tx.db, storeId);
    const orderId = newId('ord');
    const payment = { ...quote.payment, payment_method_id: method, method_type: method, status: { status: 'pending', at: now } };
    const shipping = input.shipping_address ?? null;
    const billing = input.billing_address ?? null;
    const row: OrderTable = {
      id: orderId,
      store_id: storeId,
      seq,
      number: String(seq),
      source_cart_id: opts.cartId ?? null,
      profile_id: profile?.id ?? null,
      verified: profile?.verified ? 1 : 0,
      status: 'active',
      workflow_status: 'created',
      method_type: method,
      currency: market.currency,
      total: quote.total,
      paid: 0,
      promo_code_id: promo?.id ?? null,
      payment: toJson(payment),
      shipping_address: shipping ? toJson(shipping) : null,
      billing_address: billing ? toJson(billing) : null,
      forms: toJson(input.forms ?? []),
      blocks: toJson(normalizeBlocks(input.blocks)),
      history: toJson([{ action: 'created', timestamp: now }]),
      fired_reminders: '[]',
      search_text: [String(seq), profile?.email, shipping?.email, billing?.email].filter(Boolean).join(' ').toLowerCase(),
      created_at: now,
      updated_at: now,
    };
    await tx.db.insertInto('orders').values(row).execute();
    for (const [position, line] of lines.entries()) {
      const q = quote.items[position]!;
      const reservation = reservations.get(line);
      await tx.db
        .insertInto('order_items')
        .values({
          id: newId('item'),
          store_id: storeId,
          order_id: orderId,
          position,
          type: line.type,
          product_id: line.product_id ?? null,
          variant_id: line.variant_id ?? null,
          service_id: line.service_id ?? null,
          provider_id: line.provider_id ?? null,
          from_at: line.from ?? null,
          to_at: line.to ?? null,
          quantity: line.quantity,
          location_id: reservation?.location_id ?? null,
          inventory_level_id: reservation?.inventory_level_id ?? null,
          status: 'pending',
          status_reason: null,
          expires_at: now + 1800,
          unit_price: q.unit_price,
          subtotal: q.subtotal,
          discount: q.discount,
          tax: q.tax,
          total: q.total,
          snapshot: toJson(line.snapshot),
          forms: toJson(input.items[line.index]?.forms ?? []),
        })
        .execute();
    }
    const services = lines.filter((l) => l.type === 'service');
    if (services.length) await ctx.modules.extension('serviceLines')!.book(tx.db, storeId, orderId, services);

    await emit(tx, 'order.created', await loadOrder(tx.db, row), storeId);
    const final = method === 'cash' ? await changeWorkflow(tx, row, 'confirmed') : row;
    if (opts.cartId) {
      await tx.db.updateTable('carts').set({ status: 'converted', converted_order_id: orderId, updated_at: now, last_activity_at: now }).where('id', '=', opts.cartId).execute();
      await emit(tx, 'cart.converted', { id: opts.cartId, store_id: storeId, converted_order_id: orderId }, storeId);
    }
    const order = await loadOrder(tx.db, final);
    return { order_id: orderId, number: row.number, client_secret: null, payment: order.payment };
  });
}
