import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type Stripe from 'stripe';
import { checkoutSessionRoutes, completeSession } from './stripe/checkout-sessions.ts';
import { customerRoutes } from './stripe/customers.ts';
import { sendEvent, signEvent } from './stripe/webhooks.ts';
import {
  err,
  missing,
  parseForm,
  type Obj,
  type Objects,
  type Owned,
  type Reply,
  type Routes,
} from './stripe/objects.ts';
import { intentActions, paymentIntentRoutes } from './stripe/payment-intents.ts';
import { refundRoutes } from './stripe/refunds.ts';
import { subscriptionActions, subscriptionRoutes, type Change } from './stripe/subscriptions.ts';

export { parseForm } from './stripe/objects.ts';

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
 * Stripe `Event` to deliver with `send`. One file per resource in `test/stripe/`.
 */

/** Every API operation the stand-in answers, from the resource files. */
const ROUTES: Routes = {
  ...paymentIntentRoutes,
  ...refundRoutes,
  ...customerRoutes,
  ...checkoutSessionRoutes,
  ...subscriptionRoutes,
};

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
  readonly #store = new Map<string, Owned>();
  /** The object store as the resource handlers (`test/stripe/*.ts`) see it. */
  readonly #objects: Objects = ((standIn) => ({
    get url() {
      return standIn.url;
    },
    now: () => standIn.now(),
    id: (prefix) => standIn.#id(prefix),
    create: (account, prefix, object, fields) => standIn.#create(account, prefix, object, fields),
    owned: (account, id, object) => standIn.#owned(account, id, object),
    must: (id, object) => standIn.#must(id, object),
    read: (account, id, object) => standIn.#read(account, id, object),
    public: (o) => standIn.#public(o),
    list: (object) => standIn.list(object),
  }))(this);
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
    const o = this.#store.get(id);
    if (!o) return undefined;
    const { _account: _, ...rest } = o;
    return structuredClone(rest);
  }

  /** Objects of one type (`payment_intent`, `refund`, `customer`, …) of every account. */
  list(object: string): Obj[] {
    return [...this.#store.values()].filter((o) => o.object === object).map((o) => this.get(o.id)!);
  }

  // ---- what customers and Stripe do on their own; each returns the event to deliver ----

  /** The customer pays: `payment_intent.succeeded` (the full amount is captured). */
  succeed(paymentIntentId: string): Stripe.Event {
    return this.#intent(paymentIntentId, (pi) => intentActions.succeed(this.#objects, pi));
  }

  /** Manual capture: the card is authorized, `payment_intent.amount_capturable_updated`. */
  authorize(paymentIntentId: string): Stripe.Event {
    return this.#intent(paymentIntentId, (pi) => intentActions.authorize(this.#objects, pi));
  }

  /** The card is declined: `payment_intent.payment_failed`. */
  decline(paymentIntentId: string, code = 'card_declined'): Stripe.Event {
    return this.#intent(paymentIntentId, (pi) => intentActions.decline(this.#objects, pi, code));
  }

  /** The merchant cancels the intent in Stripe's dashboard: `payment_intent.canceled`. */
  cancelIntent(paymentIntentId: string, reason: string | null = null): Stripe.Event {
    return this.#intent(paymentIntentId, (pi) => intentActions.cancel(this.#objects, pi, reason));
  }

  /** A refund settles (`succeeded` or `failed`): `charge.refund.updated`. */
  settleRefund(refundId: string, status: 'succeeded' | 'failed' = 'succeeded'): Stripe.Event {
    const refund = this.#objects.must(refundId, 'refund');
    refund.status = status;
    if (status === 'failed') refund.failure_reason = 'expired_or_canceled_card';
    return this.event('charge.refund.updated', refund);
  }

  /** The customer completes a Checkout Session: `checkout.session.completed`. */
  completeCheckout(sessionId: string): Stripe.Event {
    const session = this.#objects.must(sessionId, 'checkout.session');
    completeSession(this.#objects, session);
    return this.event('checkout.session.completed', session);
  }

  /** The customer cancels in the portal at period end: `customer.subscription.updated`. */
  scheduleCancel(subscriptionId: string): Stripe.Event {
    return this.#subscription(subscriptionId, (sub) =>
      subscriptionActions.scheduleCancel(this.#objects, sub),
    );
  }

  /** The customer withdraws a scheduled cancellation in the portal: `customer.subscription.updated`. */
  resume(subscriptionId: string): Stripe.Event {
    return this.#subscription(subscriptionId, (sub) => subscriptionActions.resume(this.#objects, sub));
  }

  /** The customer switches to another price in the portal: `customer.subscription.updated`. */
  changePrice(subscriptionId: string, price: string): Stripe.Event {
    return this.#subscription(subscriptionId, (sub) =>
      subscriptionActions.changePrice(this.#objects, sub, price),
    );
  }

  /** A renewal invoice fails: `invoice.payment_failed`; the subscription turns `past_due`. */
  failInvoice(subscriptionId: string): Stripe.Event {
    return this.#subscription(subscriptionId, (sub) => subscriptionActions.failInvoice(this.#objects, sub));
  }

  /** The period ends (or Stripe gives up on payment): `customer.subscription.deleted`. */
  endSubscription(
    subscriptionId: string,
    reason: 'cancellation_requested' | 'payment_failed' = 'cancellation_requested',
  ): Stripe.Event {
    return this.#subscription(subscriptionId, (sub) => subscriptionActions.end(this.#objects, sub, reason));
  }

  #intent(id: string, act: (pi: Owned) => string): Stripe.Event {
    const pi = this.#objects.must(id, 'payment_intent');
    return this.event(act(pi), pi);
  }

  #subscription(id: string, act: (sub: Owned) => Change): Stripe.Event {
    const change = act(this.#objects.must(id, 'subscription'));
    return this.event(change.type, change.object, change.previous);
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
  static sign = signEvent;

  /** Delivers `event` to `url` the way Stripe does (raw JSON body, signed); answers status and body. */
  static send = sendEvent;

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
    const handler = ROUTES[`${method} ${resource}${id ? '/:id' : ''}${action ? `/${action}` : ''}`];
    if (!handler) return err(404, 'invalid_request_error', `Unrecognized request URL (${method}: ${path}).`);
    return handler(this.#objects, account, p, id ?? '');
  }

  #id(prefix: string): string {
    return `${prefix}_${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`;
  }

  #create(account: string, prefix: string, object: string, fields: Obj): Owned {
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
    this.#store.set(id, o);
    this.#created.push(id);
    return o;
  }

  #owned(account: string, id: string, object: string) {
    const o = this.#store.get(id);
    return o && o._account === account && o.object === object ? o : undefined;
  }

  #must(id: string, object: string) {
    const o = this.#store.get(id);
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
