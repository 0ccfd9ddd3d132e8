/**
 * Idempotency rule 1 on real routes (DEVELOPING.md "Idempotency (atomic phases)"): every write of
 * a mutating route happens in a recorded `withTx` phase, so a retry after a crash between COMMIT
 * and the reply answers what the original answered and writes nothing twice. The crash is what a
 * kill -9 leaves behind: the key still `running`, its holder gone, no stored response (and, for
 * a crash between two phases, only the first phase recorded).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seal, unseal } from '../src/lib/sealed.ts';
import { createTestApp, type TestApp } from './helpers.ts';
import { call, createStore, registerAccount, uniqueEmail, type Caller } from './fixtures.ts';
import { ADDRESS, stockedProduct } from './commerce-fixtures.ts';
import { cardStore } from './payment-fixtures.ts';
import { StripeStandIn } from './stripe-standin.ts';

let t: TestApp;
let stripe: StripeStandIn;

beforeAll(async () => {
  stripe = await new StripeStandIn().start();
  t = await createTestApp({ env: { STRIPE_API_URL: stripe.url } });
});
afterAll(async () => {
  await t?.close();
  await stripe?.stop();
});

const db = () => t.app.deps.db.db;

/** The key as a kill -9 after the commit leaves it; `keepPhases` drops the phases recorded after it. */
async function crash(key: string, keepPhases?: number): Promise<void> {
  const row = await db()
    .selectFrom('idempotency_keys')
    .select('tx_results')
    .where('key', '=', key)
    .executeTakeFirstOrThrow();
  let txResults = row.tx_results;
  if (keepPhases !== undefined && txResults) {
    const phases = JSON.parse(unseal(t.config, txResults)) as unknown[];
    expect(phases.length).toBeGreaterThan(keepPhases);
    txResults = seal(t.config, JSON.stringify(phases.slice(0, keepPhases)));
  }
  await db()
    .updateTable('idempotency_keys')
    .set({
      state: 'running',
      response_status: null,
      response_body: null,
      locked_until: 0,
      tx_results: txResults,
    })
    .where('key', '=', key)
    .execute();
}

/** Sends the request, "crashes" before the reply, retries with the same key: both answers. */
async function crashAndRetry(
  caller: Caller | null,
  request: { method: 'POST' | 'PUT' | 'PATCH' | 'DELETE'; url: string; payload?: object },
  keepPhases?: number,
) {
  const headers = { 'idempotency-key': `crash-${Math.random().toString(36).slice(2)}` };
  const first = await call(t.app, caller, { ...request, headers });
  await crash(headers['idempotency-key'], keepPhases);
  const retry = await call(t.app, caller, { ...request, headers });
  return { first, retry };
}

const count = async (
  table: 'accounts' | 'auth_sessions' | 'webhooks' | 'forms' | 'orders',
  where: [string, string],
) =>
  Number(
    (
      await db()
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .where(where[0] as never, '=', where[1] as never)
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('a retry after a crash between commit and reply runs nothing twice', () => {
  it('register: the same account and session, not 409 already_exists', async () => {
    const email = uniqueEmail('crash');
    const { first, retry } = await crashAndRetry(null, {
      method: 'POST',
      url: '/v1/auth/register',
      payload: { email, password: 'correct horse battery' },
    });
    expect(first.status).toBe(201);
    expect(retry.status, JSON.stringify(retry.body)).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(await count('accounts', ['email', email])).toBe(1);
  });

  it('login: the same tokens, one session', async () => {
    const account = await registerAccount(t.app);
    const { first, retry } = await crashAndRetry(null, {
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: account.email, password: 'correct horse battery' },
    });
    expect(first.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    // The registration's session and the login's.
    expect(await count('auth_sessions', ['account_id', account.accountId!])).toBe(2);
  });

  it('refresh: the same new pair, not a reuse that revokes the whole session family', async () => {
    const account = await registerAccount(t.app);
    const { first, retry } = await crashAndRetry(null, {
      method: 'POST',
      url: '/v1/auth/refresh',
      payload: { refresh_token: account.refresh },
    });
    expect(first.status).toBe(200);
    expect(retry.status, JSON.stringify(retry.body)).toBe(200);
    expect(retry.body).toEqual(first.body);
    const me = await call(
      t.app,
      { headers: { authorization: `Bearer ${retry.body.access_token}` } },
      { url: '/v1/accounts/me' },
    );
    expect(me.status).toBe(200);
  });

  it('webhook creation: the same webhook (and secret), not a second row or a 409', async () => {
    const owner = await registerAccount(t.app);
    const storeId = await createStore(t.app, owner);
    const { first, retry } = await crashAndRetry(owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/webhooks`,
      payload: { key: 'orders', url: 'http://127.0.0.1:9/hook', events: ['order.created'] },
    });
    expect(first.status).toBe(201);
    expect(retry.status, JSON.stringify(retry.body)).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(await count('webhooks', ['store_id', storeId])).toBe(1);
  });

  it('form creation: the same form', async () => {
    const owner = await registerAccount(t.app);
    const storeId = await createStore(t.app, owner);
    const { first, retry } = await crashAndRetry(owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/forms`,
      payload: { key: 'contact', schema: [{ key: 'email', type: 'text', variant: 'email', required: true }] },
    });
    expect(first.status).toBe(201);
    expect(retry.status, JSON.stringify(retry.body)).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(await count('forms', ['store_id', storeId])).toBe(1);
  });

  it('card checkout, crash after the stock phase and before Stripe: the retry finishes that order', async () => {
    const s = await cardStore(t.app);
    const { variantId } = await stockedProduct(t.app, s.owner, s.storeId, { stock: 5 });
    const { first, retry } = await crashAndRetry(
      s.owner,
      {
        method: 'POST',
        url: `/v1/stores/${s.storeId}/orders/checkout`,
        payload: {
          market: 'us',
          payment_method_id: 'credit_card',
          items: [{ variant_id: variantId, quantity: 2 }],
          shipping_address: ADDRESS,
          shipping_method_id: 'standard',
        },
      },
      1,
    );
    expect(first.status).toBe(201);
    // The replayed first phase is the recorded JSON copy of the placed order: the retry reads the
    // gateway again, Stripe answers the same intent (its key derives from the order).
    expect(retry.status, JSON.stringify(retry.body)).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(await count('orders', ['store_id', s.storeId])).toBe(1);
    const intents = await db()
      .selectFrom('payment_intents')
      .select('intent_id')
      .where('store_id', '=', s.storeId)
      .execute();
    expect(intents).toHaveLength(1);
  });
});
