import type { CatalogBlockInput, CheckoutResult } from '@openarky/contract';
import { withTx, type Ctx } from '../../lib/context.ts';
import { AppError, validationError, type FieldError } from '../../lib/errors.ts';
import { emit } from '../../lib/events.ts';
import { newId } from '../../lib/ids.ts';
import { toJson } from '../../lib/json.ts';
import { normalizeBlocks, reserveStock, type Reservation } from '../catalog/index.ts';
import type { OrderTable } from './commerce.table.ts';
import { confirmAtOnce, nextOrderNumber, type OrderDraft } from './checkout.confirm.ts';
import type { ResolvedLine } from './lines.ts';
import type { CardIntent } from './card-payments.ts';
import { beginCardPayment, discardCardOrder, lockOrder } from './order.payment.ts';
import { loadOrder, toOrder } from './order.mapper.ts';
import { changeWorkflow } from './order.workflow.ts';
import { computeQuote, type QuoteInput, type QuoteOptions } from './quote.service.ts';

export interface CheckoutInput extends QuoteInput {
  forms?: unknown[] | undefined;
  blocks?: CatalogBlockInput[] | undefined;
  profile_id?: string | null | undefined;
}

const ADDRESS_FIELDS = ['name', 'street1', 'city', 'state', 'postal_code', 'country'] as const;

/**
 * Checkout (CONTRACT §6.4), all in one transaction: quote, address rules, order and items,
 * stock reservation by conditional updates, cash confirmation, cart conversion and events. Any
 * failure rolls everything back.
 */
export async function checkout(
  ctx: Ctx,
  storeId: string,
  input: CheckoutInput,
  opts: QuoteOptions & { cartId?: string },
): Promise<CheckoutResult> {
  return finishCheckout(ctx, await placeOrder(ctx, storeId, input, opts));
}

/**
 * What the checkout transaction produced: a finished result, or a card order waiting for its
 * PaymentIntent. Plain data only: under an Idempotency-Key it is the transaction's recorded result,
 * and a retry after a crash gets back its JSON copy (so no gateway object travels in it).
 */
export type Placed = { kind: 'done'; result: CheckoutResult } | { kind: 'card'; row: OrderTable };

/** After `placeOrder` committed: card orders get their PaymentIntent (no transaction may be open). */
export async function finishCheckout(ctx: Ctx, placed: Placed): Promise<CheckoutResult> {
  return placed.kind === 'done' ? placed.result : startCardPayment(ctx, placed);
}

/**
 * Card checkout, after the order and its holds are committed (CONTRACT §6.4 step 4): the
 * PaymentIntent is created with no transaction open, so no stock lock waits on Stripe. If Stripe
 * fails, the order is discarded with its holds and the caller gets 502 `provider_error`.
 */
async function startCardPayment(ctx: Ctx, placed: { row: OrderTable }): Promise<CheckoutResult> {
  const { row } = placed;
  if (ctx.db.isTransaction) throw new Error('card checkout must not run inside a caller transaction');
  // Read again after commit (the checkout transaction checked it exists): a gateway holds closures.
  const gateway = await ctx.modules.extension('cardPayments')?.gateway(ctx, row.store_id);
  let intent: CardIntent;
  try {
    if (!gateway) throw new Error('the store has no active Stripe integration any more');
    intent = await gateway.createIntent({
      storeId: row.store_id,
      orderId: row.id,
      amount: row.total,
      currency: row.currency,
    });
  } catch (error) {
    ctx.log.warn(
      { order: row.id, store: row.store_id, reason: error instanceof Error ? error.message : 'unknown' },
      'PaymentIntent creation failed; order discarded',
    );
    await discardCardOrder(ctx, row.store_id, row.id);
    throw new AppError(
      'provider_error',
      'The payment provider could not start the payment; nothing was reserved or charged',
      { provider: 'stripe' },
    );
  }
  const order = await withTx(ctx, async (tx) => {
    const locked = await lockOrder(tx.db, row.store_id, row.id);
    if (!locked) throw new AppError('internal_error', `Order ${row.id} vanished during checkout`);
    await ctx.modules.extension('cardPayments')!.recordIntent(tx.db, {
      storeId: row.store_id,
      orderId: row.id,
      integrationId: gateway.integrationId,
      intent,
      amount: row.total,
      currency: row.currency,
      now: tx.now(),
    });
    return loadOrder(tx.db, await beginCardPayment(tx, locked, intent));
  });
  return {
    order_id: order.id,
    number: order.number,
    client_secret: intent.client_secret,
    payment: order.payment,
  };
}

/**
 * Checkout's one transaction: quote, rules, order, items, holds; cash (or nothing to pay) confirms
 * at once. A card order's cart is claimed (`converted`) here, under the caller's cart lock, so a
 * second checkout of the same cart cannot start; `cart.converted` is written once the intent exists.
 */
export async function placeOrder(
  ctx: Ctx,
  storeId: string,
  input: CheckoutInput,
  opts: QuoteOptions & { cartId?: string },
): Promise<Placed> {
  return withTx(ctx, async (tx): Promise<Placed> => {
    const now = tx.now();
    const { quote, lines, market, zone, shippingMethod, promo } = await computeQuote(
      tx,
      storeId,
      input,
      opts,
    );
    const blocked = lines.find((l) => !l.availability.ok);
    if (blocked) {
      const code = blocked.type === 'service' ? 'slot_unavailable' : 'insufficient_stock';
      throw new AppError(code, `items.${blocked.index} cannot be reserved (${blocked.availability.reason})`, {
        field: `items.${blocked.index}`,
      });
    }
    const hasProducts = lines.some((l) => l.type === 'product');
    if (hasProducts && zone?.shipping_methods.length && !shippingMethod) {
      throw validationError({
        field: 'shipping_method_id',
        reason: 'required',
        message: 'Choose a shipping method for this address',
      });
    }
    if (hasProducts && shippingMethod && (shippingMethod.type ?? 'shipping') === 'shipping') {
      const address = (input.shipping_address ?? {}) as Record<string, unknown>;
      const missing: FieldError[] = ADDRESS_FIELDS.filter(
        (f) => typeof address[f] !== 'string' || !(address[f] as string).trim(),
      ).map((f) => ({ field: `shipping_address.${f}`, reason: 'required' }));
      if (missing.length) throw validationError(missing, 'A complete shipping address is required');
    }
    const method = quote.payment_method?.id ?? market.payment_methods[0]?.id ?? 'cash';
    if (!market.payment_methods.some((m) => m.id === method))
      throw new AppError(
        'payment_method_not_allowed',
        `Payment method ${method} is not offered in market ${market.key}`,
      );
    // Reading the store's gateway touches the database only; Stripe is called after commit.
    const gateway =
      method === 'credit_card' && quote.total > 0
        ? await tx.modules.extension('cardPayments')?.gateway(tx, storeId)
        : null;
    if (method === 'credit_card' && quote.total > 0 && !gateway)
      throw new AppError(
        'payment_provider_not_configured',
        'Card payments need an active Stripe integration for this store',
      );

    // A profile orders for itself; an admin may order on behalf of a profile of the store.
    const profileId = opts.trusted ? (input.profile_id ?? null) : opts.profileId;
    const profile = profileId
      ? await tx.db
          .selectFrom('profiles')
          .select(['id', 'verified', 'email'])
          .where('id', '=', profileId)
          .where('store_id', '=', storeId)
          .executeTakeFirst()
      : undefined;
    if (profileId && !profile) throw validationError({ field: 'profile_id', reason: 'not_found' });

    const pickup = shippingMethod?.type === 'pickup' ? (shippingMethod.location_id ?? null) : null;
    const orderId = newId('ord');
    const payment = {
      ...quote.payment,
      payment_method_id: method,
      method_type: method,
      status: { status: 'pending', at: now },
    };
    const shipping = input.shipping_address ?? null;
    const billing = input.billing_address ?? null;
    // The order and its items as checkout creates them (`created`, items pending with a hold).
    const build = (reservations: Map<ResolvedLine, Reservation>, number: string): OrderDraft => ({
      row: {
        id: orderId,
        store_id: storeId,
        seq: Number(number) || 0,
        number,
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
        search_text: [number, profile?.email, shipping?.email, billing?.email]
          .filter(Boolean)
          .join(' ')
          .toLowerCase(),
        created_at: now,
        updated_at: now,
      },
      items: lines.map((line, position) => {
        const q = quote.items[position]!;
        const reservation = reservations.get(line);
        return {
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
        };
      }),
    });
    // Confirmed at once, products only: every contended row is written last (checkout.confirm.ts).
    if (!gateway && lines.length && lines.every((l) => l.type === 'product'))
      return {
        kind: 'done',
        result: await confirmAtOnce(
          tx,
          storeId,
          lines,
          pickup,
          opts.cartId ? { cartId: opts.cartId, orderId } : null,
          build,
        ),
      };

    const reservations = await reserveStock(tx.db, lines, now, pickup);
    const seq = await nextOrderNumber(tx.db, storeId);
    const { row, items } = build(reservations, String(seq));
    await tx.db.insertInto('orders').values(row).execute();
    // One multi-row insert; the rows are kept to build the wire order without reloading it.
    if (items.length) await tx.db.insertInto('order_items').values(items).execute();
    const services = lines.filter((l) => l.type === 'service');
    if (services.length) await ctx.modules.extension('serviceLines')!.book(tx, storeId, orderId, services);

    // A card order is announced (`order.created`, `cart.converted`) once its PaymentIntent exists.
    if (gateway) {
      if (opts.cartId)
        await tx.db
          .updateTable('carts')
          .set({ status: 'converted', converted_order_id: orderId, updated_at: now, last_activity_at: now })
          .where('id', '=', opts.cartId)
          .execute();
      return { kind: 'card', row };
    }
    // Booking may write to the items it books: then the order is read back instead.
    const known = services.length ? undefined : items;
    await emit(tx, 'order.created', known ? toOrder(row, known, []) : await loadOrder(tx.db, row), storeId);
    const final = await changeWorkflow(tx, row, 'confirmed', undefined, known);
    if (opts.cartId) {
      await tx.db
        .updateTable('carts')
        .set({ status: 'converted', converted_order_id: orderId, updated_at: now, last_activity_at: now })
        .where('id', '=', opts.cartId)
        .execute();
      await emit(
        tx,
        'cart.converted',
        { id: opts.cartId, store_id: storeId, converted_order_id: orderId },
        storeId,
      );
    }
    const order = known ? toOrder(final, known, []) : await loadOrder(tx.db, final);
    return {
      kind: 'done',
      result: { order_id: orderId, number: row.number, client_secret: null, payment: order.payment },
    };
  });
}
