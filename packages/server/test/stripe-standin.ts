import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import Stripe from 'stripe';

/**
 * A local stand-in for the parts of Stripe's REST API this server uses, so the official `stripe`
 * package runs unmodified against it (`STRIPE_API_URL`). It speaks Stripe's protocol: bearer
 * secret keys (each key is its own account: objects of one key are invisible to another),
 * form-encoded bodies with nested keys (`metadata[order_id]`, `line_items[0][price]`),
 * `Idempotency-Key` replay (same key + other parameters → 400 `idempotency_error`), Stripe error
 * bodies, and events signed with the official test-header helper.
 *
 * Resources: PaymentIntents (create, retrieve, update, cancel), Refunds, Customers, Checkout
 * Sessions (mode `payment` and `subscription`), Billing Portal Sessions, Subscriptions. What a
 * customer or Stripe would do on its own (pay, fail, settle a refund, complete a Checkout,
 * cancel at period end, end a subscription) is a method that changes the object and returns the
 * Stripe `Event` to deliver with `send`.
 */

type Obj = Record<string, any>;
type Reply = [number, unknown];

export interface StandInRequest {
  method: string;
  path: string;
  params: Obj;
  apiKey: string;
  idempotencyKey: string | null;
}

export class StripeStandIn {
  url = '';
  /** Every API request received, in order (replays included). */
  readonly requests: StandInRequest[] = [];
  readonly #objects = new Map<string, Obj & { _account: string }>();
  readonly #idempotency = new Map<string, { fingerprint: string; reply: Reply }>();
  readonly #failures: { method: string; path: RegExp; status: number }[] = [];
  readonly #sockets = new Set<Socket>();
  /** Ids created by the request being routed (routing is synchronous, so this is per request). */
  readonly #created: string[] = [];
  #server: Server | null = null;
  #down = false;
  /** Clock for `created` and subscription periods (seconds). */
  now: () => number = () => Math.floor(Date.now() / 1000);
  /** When set, every request waits this long before it is answered (latency simulation). */
  latencyMs = 0;
  /**
   * Runs after an object is created by a POST and before the answer leaves (not on replays):
   * lets a test deliver a webhook that overtakes the API response, as Stripe sometimes does.
   */
  onCreated: ((object: Obj) => Promise<void>) | null = null;

  async start(): Promise<this> {
    this.#server = createServer((req, res) => void this.#serve(req, res));
    this.#server.on('connection', (s) => {
      this.#sockets.add(s);
      s.on('close', () => this.#sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', () => resolve()));
    this.url = `http://127.0.0.1:${(this.#server!.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Requests matching `method path` answer `status` with a Stripe `api_error` until `heal()`. */
  fail(method: string, path: RegExp, status = 500): void {
    this.#failures.push({ method, path, status });
  }

  /** Every connection is dropped without an answer (Stripe unreachable) until `heal()`. */
  goDown(): void {
    this.#down = true;
  }

  heal(): void {
    this.#failures.length = 0;
    this.#down = false;
  }

  /** The stored object (a copy), whatever account it belongs to. */
  get(id: string): Obj | undefined {
    const o = this.#objects.get(id);
    if (!o) return undefined;
    const { _account: _, ...rest } = o;
    return structuredClone(rest);
  }

  /** Objects of one type (`payment_intent`, `refund`, `customer`, …) of every account. */
  list(object: string): Obj[] {
    return [...this.#objects.values()].filter((o) => o.object === object).map((o) => this.get(o.id)!);
  }

  // ---- what customers and Stripe do on their own; each returns the event to deliver ----

  /** The customer pays: `payment_intent.succeeded` (the full amount is captured). */
  succeed(paymentIntentId: string): Stripe.Event {
    const pi = this.#must(paymentIntentId, 'payment_intent');
    const charge = this.#charge(pi);
    Object.assign(pi, {
      status: 'succeeded',
      amount_received: pi.amount,
      amount_capturable: 0,
      latest_charge: charge.id,
      last_payment_error: null,
    });
    return this.event('payment_intent.succeeded', pi);
  }

  /** Manual capture: the card is authorized, `payment_intent.amount_capturable_updated`. */
  authorize(paymentIntentId: string): Stripe.Event {
    const pi = this.#must(paymentIntentId, 'payment_intent');
    Object.assign(pi, { status: 'requires_capture', amount_capturable: pi.amount });
    return this.event('payment_intent.amount_capturable_updated', pi);
  }

  /** The card is declined: `payment_intent.payment_failed`. */
  decline(paymentIntentId: string, code = 'card_declined'): Stripe.Event {
    const pi = this.#must(paymentIntentId, 'payment_intent');
    Object.assign(pi, {
      status: 'requires_payment_method',
      last_payment_error: { type: 'card_error', code, message: 'Your card was declined.' },
    });
    return this.event('payment_intent.payment_failed', pi);
  }

  /** A refund settles (`succeeded` or `failed`): `charge.refund.updated`. */
  settleRefund(refundId: string, status: 'succeeded' | 'failed' = 'succeeded'): Stripe.Event {
    const refund = this.#must(refundId, 'refund');
    refund.status = status;
    if (status === 'failed') refund.failure_reason = 'expired_or_canceled_card';
    return this.event('charge.refund.updated', refund);
  }

  /** The customer completes a Checkout Session: `checkout.session.completed`. */
  completeCheckout(sessionId: string): Stripe.Event {
    const session = this.#must(sessionId, 'checkout.session');
    const account = session._account;
    session.status = 'complete';
    session.payment_status = 'paid';
    if (!session.customer)
      session.customer = this.#create(account, 'cus', 'customer', {
        email: session.customer_email ?? null,
        metadata: {},
        name: null,
      }).id;
    const line = (session._line_items as Obj[])[0] ?? {};
    if (session.mode === 'subscription') {
      const start = this.now();
      const end = start + 30 * 86400;
      const sub = this.#create(account, 'sub', 'subscription', {
        customer: session.customer,
        status: 'active',
        metadata: session._subscription_metadata ?? {},
        cancel_at_period_end: false,
        cancel_at: null,
        canceled_at: null,
        ended_at: null,
        cancellation_details: { reason: null, comment: null, feedback: null },
        current_period_start: start,
        current_period_end: end,
        items: {
          object: 'list',
          data: [
            {
              id: this.#id('si'),
              object: 'subscription_item',
              price: { id: line.price, object: 'price' },
              quantity: Number(line.quantity ?? 1),
              current_period_start: start,
              current_period_end: end,
            },
          ],
          has_more: false,
        },
      });
      session.subscription = sub.id;
    } else {
      const pi = this.#create(
        account,
        'pi',
        'payment_intent',
        this.#intentFields({
          amount: Number(line.amount ?? 0),
          currency: session.currency ?? 'usd',
          metadata: session.metadata,
          customer: session.customer,
        }),
      );
      this.succeed(pi.id);
      session.payment_intent = pi.id;
    }
    return this.event('checkout.session.completed', session);
  }

  /** The customer cancels in the portal at period end: `customer.subscription.updated`. */
  scheduleCancel(subscriptionId: string): Stripe.Event {
    const sub = this.#must(subscriptionId, 'subscription');
    const previous = { cancel_at_period_end: sub.cancel_at_period_end };
    Object.assign(sub, {
      cancel_at_period_end: true,
      cancel_at: sub.current_period_end,
      canceled_at: this.now(),
      cancellation_details: { ...sub.cancellation_details, reason: 'cancellation_requested' },
    });
    return this.event('customer.subscription.updated', sub, previous);
  }

  /** The customer switches to another price in the portal: `customer.subscription.updated`. */
  changePrice(subscriptionId: string, price: string): Stripe.Event {
    const sub = this.#must(subscriptionId, 'subscription');
    const item = sub.items.data[0];
    const previous = { items: structuredClone(sub.items) };
    item.price = { id: price, object: 'price' };
    return this.event('customer.subscription.updated', sub, previous);
  }

  /** A renewal invoice fails: `invoice.payment_failed`; the subscription turns `past_due`. */
  failInvoice(subscriptionId: string): Stripe.Event {
    const sub = this.#must(subscriptionId, 'subscription');
    sub.status = 'past_due';
    const invoice = this.#create(sub._account, 'in', 'invoice', {
      customer: sub.customer,
      subscription: sub.id,
      status: 'open',
      attempt_count: 1,
      amount_due: 0,
      parent: { subscription_details: { subscription: sub.id, metadata: sub.metadata } },
    });
    return this.event('invoice.payment_failed', invoice);
  }

  /** The period ends (or Stripe gives up on payment): `customer.subscription.deleted`. */
  endSubscription(
    subscriptionId: string,
    reason: 'cancellation_requested' | 'payment_failed' = 'cancellation_requested',
  ): Stripe.Event {
    const sub = this.#must(subscriptionId, 'subscription');
    Object.assign(sub, {
      status: 'canceled',
      ended_at: this.now(),
      canceled_at: sub.canceled_at ?? this.now(),
      cancellation_details: { ...sub.cancellation_details, reason },
    });
    return this.event('customer.subscription.deleted', sub);
  }

  /** A Stripe `Event` wrapping a snapshot of `object`. */
  event(type: string, object: Obj, previousAttributes?: Obj): Stripe.Event {
    const { _account: _, ...snapshot } = structuredClone(object);
    for (const k of Object.keys(snapshot)) if (k.startsWith('_')) delete snapshot[k];
    return {
      id: this.#id('evt'),
      object: 'event',
      api_version: '2026-10-28.endive',
      created: this.now(),
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
      data: { object: snapshot, ...(previousAttributes ? { previous_attributes: previousAttributes } : {}) },
    } as unknown as Stripe.Event;
  }

  /** The body and `Stripe-Signature` header Stripe would send for `event`, signed with `secret`. */
  static sign(
    event: Stripe.Event | Obj,
    secret: string,
    timestamp?: number,
  ): { payload: string; header: string } {
    const payload = JSON.stringify(event, null, 2);
    const header = Stripe.webhooks.generateTestHeaderString({
      payload,
      secret,
      ...(timestamp ? { timestamp } : {}),
    });
    return { payload, header };
  }

  /** Delivers `event` to `url` the way Stripe does (raw JSON body, signed); answers status and body. */
  static async send(
    url: string,
    event: Stripe.Event | Obj,
    secret: string,
  ): Promise<{ status: number; body: string }> {
    const { payload, header } = StripeStandIn.sign(event, secret);
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'stripe-signature': header,
        'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
      },
      body: payload,
    });
    return { status: res.status, body: await res.text() };
  }

  // ---- HTTP ----

  async #serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (this.#down) {
      req.socket.destroy();
      return;
    }
    if (this.latencyMs) await new Promise((r) => setTimeout(r, this.latencyMs));
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const method = req.method ?? 'GET';
    const raw =
      method === 'GET' || method === 'DELETE' ? url.search.slice(1) : Buffer.concat(chunks).toString('utf8');
    const params = parseForm(raw);
    const apiKey = /^Bearer (sk_\S+)$/.exec(String(req.headers.authorization ?? ''))?.[1] ?? '';
    const idem = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : null;
    this.requests.push({ method, path: url.pathname, params, apiKey, idempotencyKey: idem });
    let reply: Reply;
    let replayed = false;
    this.#created.length = 0;
    const failure = this.#failures.find((f) => f.method === method && f.path.test(url.pathname));
    if (!apiKey) reply = err(401, 'invalid_request_error', 'Invalid API Key provided');
    else if (failure)
      reply = err(failure.status, 'api_error', 'An unexpected error occurred (stand-in failure)');
    else if (idem && method === 'POST') {
      const scope = `${apiKey}\0${idem}`;
      const fingerprint = `${url.pathname}\0${JSON.stringify(params)}`;
      const seen = this.#idempotency.get(scope);
      if (seen && seen.fingerprint !== fingerprint) {
        reply = err(
          400,
          'idempotency_error',
          `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idem}' if you meant to execute a different request.`,
        );
      } else if (seen) {
        reply = seen.reply;
        replayed = true;
      } else {
        reply = this.#route(method, url.pathname, params, apiKey);
        if (reply[0] < 500) this.#idempotency.set(scope, { fingerprint, reply });
      }
    } else reply = this.#route(method, url.pathname, params, apiKey);
    if (this.onCreated && !replayed)
      for (const o of this.#created.splice(0)) await this.onCreated(this.get(o)!);
    res.writeHead(reply[0], {
      'content-type': 'application/json',
      'request-id': `req_${randomBytes(6).toString('hex')}`,
      ...(replayed ? { 'idempotent-replayed': 'true' } : {}),
      ...(idem ? { 'idempotency-key': idem } : {}),
    });
    res.end(JSON.stringify(reply[1]));
  }

  #route(method: string, path: string, p: Obj, account: string): Reply {
    const seg = path.split('/').filter(Boolean);
    if (seg[0] !== 'v1')
      return err(404, 'invalid_request_error', `Unrecognized request URL (${method}: ${path}).`);
    // Namespaced resources (`checkout/sessions`, `billing_portal/sessions`) read as one resource.
    if (seg[1] === 'checkout' || seg[1] === 'billing_portal') seg.splice(1, 2, `${seg[1]}/${seg[2] ?? ''}`);
    const [, resource, id, action] = seg;
    const key = `${method} ${resource}${id ? '/:id' : ''}${action ? `/${action}` : ''}`;
    switch (key) {
      case 'POST payment_intents': {
        const amount = Number(p.amount);
        if (!Number.isInteger(amount) || amount < 1)
          return err(
            400,
            'invalid_request_error',
            'Missing or invalid amount.',
            'amount',
            'parameter_invalid_integer',
          );
        if (typeof p.currency !== 'string' || !/^[a-zA-Z]{3}$/.test(p.currency))
          return err(
            400,
            'invalid_request_error',
            'Missing required param: currency.',
            'currency',
            'parameter_missing',
          );
        return [
          200,
          this.#public(this.#create(account, 'pi', 'payment_intent', this.#intentFields({ ...p, amount }))),
        ];
      }
      case 'GET payment_intents/:id':
        return this.#read(account, id!, 'payment_intent');
      case 'POST payment_intents/:id': {
        const pi = this.#owned(account, id!, 'payment_intent');
        if (!pi) return missing(id!);
        if (p.metadata) pi.metadata = { ...pi.metadata, ...p.metadata };
        return [200, this.#public(pi)];
      }
      case 'POST payment_intents/:id/cancel': {
        const pi = this.#owned(account, id!, 'payment_intent');
        if (!pi) return missing(id!);
        if (pi.status === 'succeeded' || pi.status === 'canceled') {
          return err(
            400,
            'invalid_request_error',
            `You cannot cancel this PaymentIntent because it has a status of ${pi.status}.`,
            undefined,
            'payment_intent_unexpected_state',
            { payment_intent: this.#public(pi) },
          );
        }
        Object.assign(pi, {
          status: 'canceled',
          canceled_at: this.now(),
          cancellation_reason: p.cancellation_reason ?? null,
          amount_capturable: 0,
        });
        return [200, this.#public(pi)];
      }
      case 'POST refunds': {
        const pi = this.#owned(account, String(p.payment_intent ?? ''), 'payment_intent');
        if (!pi) return missing(String(p.payment_intent ?? ''), 'payment_intent');
        if (pi.status !== 'succeeded')
          return err(
            400,
            'invalid_request_error',
            'This PaymentIntent does not have a successful charge to refund.',
            'payment_intent',
            'charge_not_refundable',
          );
        const refunded = this.list('refund')
          .filter((r) => r.payment_intent === pi.id && r.status !== 'failed')
          .reduce((a, r) => a + Number(r.amount), 0);
        const amount = p.amount === undefined ? pi.amount_received - refunded : Number(p.amount);
        if (!Number.isInteger(amount) || amount < 1)
          return err(
            400,
            'invalid_request_error',
            'Invalid positive integer',
            'amount',
            'parameter_invalid_integer',
          );
        if (refunded + amount > pi.amount_received) {
          return err(
            400,
            'invalid_request_error',
            `Refund amount (${amount}) is greater than unrefunded amount on charge (${pi.amount_received - refunded})`,
            'amount',
            'amount_too_large',
          );
        }
        const refund = this.#create(account, 're', 'refund', {
          amount,
          currency: pi.currency,
          payment_intent: pi.id,
          charge: pi.latest_charge,
          status: 'pending',
          reason: p.reason ?? null,
          metadata: p.metadata ?? {},
          failure_reason: null,
        });
        return [200, this.#public(refund)];
      }
      case 'GET refunds/:id':
        return this.#read(account, id!, 'refund');
      case 'POST customers':
        return [
          200,
          this.#public(
            this.#create(account, 'cus', 'customer', {
              email: p.email ?? null,
              name: p.name ?? null,
              metadata: p.metadata ?? {},
            }),
          ),
        ];
      case 'GET customers/:id':
        return this.#read(account, id!, 'customer');
      case 'POST checkout/sessions':
        return this.#checkoutSession(account, p);
      case 'GET checkout/sessions/:id':
        return this.#read(account, id!, 'checkout.session');
      case 'POST billing_portal/sessions': {
        const customer = this.#owned(account, String(p.customer ?? ''), 'customer');
        if (!customer) return missing(String(p.customer ?? ''), 'customer');
        const portal = this.#create(account, 'bps', 'billing_portal.session', {
          customer: customer.id,
          return_url: p.return_url ?? null,
        });
        portal.url = `${this.url}/p/session/${portal.id}`;
        return [200, this.#public(portal)];
      }
      case 'GET subscriptions/:id':
        return this.#read(account, id!, 'subscription');
      case 'POST subscriptions/:id': {
        const sub = this.#owned(account, id!, 'subscription');
        if (!sub) return missing(id!);
        if (p.cancel_at_period_end !== undefined) {
          sub.cancel_at_period_end = p.cancel_at_period_end === 'true';
          sub.cancel_at = sub.cancel_at_period_end ? sub.current_period_end : null;
        }
        if (p.metadata) sub.metadata = { ...sub.metadata, ...p.metadata };
        return [200, this.#public(sub)];
      }
      case 'DELETE subscriptions/:id': {
        const sub = this.#owned(account, id!, 'subscription');
        if (!sub) return missing(id!);
        Object.assign(sub, { status: 'canceled', ended_at: this.now(), canceled_at: this.now() });
        return [200, this.#public(sub)];
      }
      default:
        return err(404, 'invalid_request_error', `Unrecognized request URL (${method}: ${path}).`);
    }
  }

  #checkoutSession(account: string, p: Obj): Reply {
    const mode = p.mode ?? 'payment';
    if (!['payment', 'subscription', 'setup'].includes(mode))
      return err(400, 'invalid_request_error', `Invalid mode: ${mode}`, 'mode');
    const lines = (Array.isArray(p.line_items) ? p.line_items : []) as Obj[];
    if (mode !== 'setup' && !lines.length)
      return err(
        400,
        'invalid_request_error',
        'Missing required param: line_items.',
        'line_items',
        'parameter_missing',
      );
    if (
      mode === 'subscription' &&
      lines.some((l) => typeof l.price !== 'string' || !l.price.startsWith('price_'))
    ) {
      return err(400, 'invalid_request_error', 'No such price', 'line_items[0][price]', 'resource_missing');
    }
    if (!p.success_url && p.ui_mode !== 'embedded')
      return err(
        400,
        'invalid_request_error',
        'Missing required param: success_url.',
        'success_url',
        'parameter_missing',
      );
    if (p.customer && !this.#owned(account, String(p.customer), 'customer'))
      return missing(String(p.customer), 'customer');
    const session = this.#create(account, 'cs_test', 'checkout.session', {
      mode,
      status: 'open',
      payment_status: 'unpaid',
      customer: p.customer ?? null,
      customer_email: p.customer_email ?? null,
      client_reference_id: p.client_reference_id ?? null,
      success_url: p.success_url ?? null,
      cancel_url: p.cancel_url ?? null,
      metadata: p.metadata ?? {},
      currency: lines[0]?.price_data?.currency ?? null,
      subscription: null,
      payment_intent: null,
      _line_items: lines.map((l) => ({
        price: l.price,
        quantity: l.quantity ?? '1',
        amount: l.price_data?.unit_amount,
      })),
      _subscription_metadata: p.subscription_data?.metadata ?? {},
    });
    session.url = `${this.url}/c/pay/${session.id}`;
    return [200, this.#public(session)];
  }

  #intentFields(p: Obj): Obj {
    return {
      amount: Number(p.amount),
      amount_received: 0,
      amount_capturable: 0,
      currency: String(p.currency).toLowerCase(),
      status: 'requires_payment_method',
      capture_method: p.capture_method ?? 'automatic_async',
      customer: p.customer ?? null,
      description: p.description ?? null,
      metadata: p.metadata ?? {},
      latest_charge: null,
      last_payment_error: null,
      canceled_at: null,
      cancellation_reason: null,
      automatic_payment_methods: p.automatic_payment_methods
        ? { enabled: p.automatic_payment_methods.enabled === 'true' }
        : null,
    };
  }

  #charge(pi: Obj & { _account: string }): Obj {
    return this.#create(pi._account, 'ch', 'charge', {
      amount: pi.amount,
      currency: pi.currency,
      payment_intent: pi.id,
      status: 'succeeded',
      paid: true,
    });
  }

  #id(prefix: string): string {
    return `${prefix}_${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`;
  }

  #create(account: string, prefix: string, object: string, fields: Obj): Obj & { _account: string } {
    const id = this.#id(prefix);
    const o: Obj & { _account: string } = {
      id,
      object,
      created: this.now(),
      livemode: false,
      ...fields,
      _account: account,
    };
    if (object === 'payment_intent')
      o.client_secret = `${id}_secret_${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`;
    this.#objects.set(id, o);
    this.#created.push(id);
    return o;
  }

  #owned(account: string, id: string, object: string) {
    const o = this.#objects.get(id);
    return o && o._account === account && o.object === object ? o : undefined;
  }

  #must(id: string, object: string) {
    const o = this.#objects.get(id);
    if (!o || o.object !== object) throw new Error(`stand-in has no ${object} ${id}`);
    return o;
  }

  #read(account: string, id: string, object: string): Reply {
    const o = this.#owned(account, id, object);
    return o ? [200, this.#public(o)] : missing(id);
  }

  #public(o: Obj): Obj {
    const out: Obj = {};
    for (const [k, v] of Object.entries(o)) if (!k.startsWith('_')) out[k] = structuredClone(v);
    return out;
  }
}

function err(
  status: number,
  type: string,
  message: string,
  param?: string,
  code?: string,
  extra: Obj = {},
): Reply {
  return [
    status,
    { error: { type, message, ...(param ? { param } : {}), ...(code ? { code } : {}), ...extra } },
  ];
}

function missing(id: string, param?: string): Reply {
  return err(
    404,
    'invalid_request_error',
    `No such ${param ?? 'object'}: '${id}'`,
    param ?? 'id',
    'resource_missing',
  );
}

/**
 * Stripe's form encoding: `a[b][c]=v` nests objects, numeric segments (`line_items[0][price]`)
 * build arrays, `expand[]=x` appends. Values stay strings, as Stripe receives them.
 */
export function parseForm(raw: string): Obj {
  // Null-prototype objects: a key such as `constructor` or `__proto__` is plain data here.
  const out: Obj = Object.create(null);
  for (const [rawKey, value] of new URLSearchParams(raw)) {
    const parts = rawKey.replace(/\]/g, '').split('[');
    let node: Obj = out;
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      const nextIsIndex = !last && /^\d*$/.test(parts[i + 1]!);
      const key: string | number = Array.isArray(node) ? (part === '' ? node.length : Number(part)) : part;
      if (last) (node as Obj)[key] = value;
      else {
        (node as Obj)[key] ??= nextIsIndex ? [] : Object.create(null);
        node = (node as Obj)[key];
      }
    });
  }
  return out;
}
