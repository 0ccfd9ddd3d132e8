import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers.ts';
import { call, createStore, registerAccount, type Caller } from './fixtures.ts';
import { stockedProduct } from './commerce-fixtures.ts';

/**
 * Issue 10: malformed input of every class answers a 400 with the field (never a 500, never a
 * partial write); the 0.9.x client's DELETEs work; null is never coerced.
 */
let t: TestApp;
let owner: Caller;
let storeId: string;

beforeAll(async () => {
  t = await createTestApp();
  owner = await registerAccount(t.app);
  storeId = await createStore(t.app, owner);
});
afterAll(async () => t?.close());

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const nestedObject = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

describe('malformed input answers 400 with a field (issue 10 defect 5)', () => {
  const cases: [string, () => Parameters<typeof call>[2], boolean, string][] = [
    [
      'deep JSON with an Idempotency-Key on an anonymous route',
      () => ({
        method: 'POST',
        url: '/v1/auth/login',
        headers: { 'content-type': 'application/json', 'idempotency-key': 'deep-1' },
        payload: nested(10_000),
      }),
      false,
      'body',
    ],
    [
      'deep JSON object',
      () => ({
        method: 'POST',
        url: '/v1/auth/register',
        headers: { 'content-type': 'application/json' },
        payload: nestedObject(10_000),
      }),
      false,
      'body',
    ],
    [
      'store settings nested 5,000 levels',
      () => ({
        method: 'PUT',
        url: `/v1/stores/${storeId}`,
        headers: { 'content-type': 'application/json' },
        payload: `{"settings":${nestedObject(5_000)}}`,
      }),
      true,
      'body',
    ],
    [
      'NUL in a body string',
      () => ({ method: 'PUT', url: `/v1/stores/${storeId}`, payload: { name: 'a\u0000b' } }),
      true,
      'name',
    ],
    [
      'NUL in a nested body string',
      () => ({
        method: 'PUT',
        url: `/v1/stores/${storeId}`,
        payload: { settings: { x: ['ok', 'bad\u0000'] } },
      }),
      true,
      'settings.x.1',
    ],
    ['NUL in a query value', () => ({ url: `/v1/stores/${storeId}/products?query=a%00b` }), true, 'query'],
    ['NUL in a path id', () => ({ url: `/v1/stores/${storeId}/products/prod_%00x` }), true, 'id'],
    ['NUL in the store id', () => ({ url: `/v1/stores/store_%00x/products` }), true, 'storeId'],
    [
      'NUL in a storefront store id (anonymous)',
      () => ({ url: `/v1/storefront/store_%00x/products` }),
      false,
      'storeId',
    ],
    [
      'created_at_from=1e30',
      () => ({ url: `/v1/stores/${storeId}/products?created_at_from=1e30` }),
      true,
      'created_at_from',
    ],
    [
      'created_at_to=-1',
      () => ({ url: `/v1/stores/${storeId}/products?created_at_to=-1` }),
      true,
      'created_at_to',
    ],
    ['limit=1e30', () => ({ url: `/v1/stores/${storeId}/products?limit=1e30` }), true, 'limit'],
    [
      'cursor with a non-number v',
      () => ({
        url: `/v1/stores/${storeId}/products?cursor=${cursor({ f: 'created_at', v: 'x', id: 'prod_1' })}`,
      }),
      true,
      'cursor',
    ],
    [
      'cursor with an object v',
      () => ({
        url: `/v1/stores/${storeId}/products?cursor=${cursor({ f: 'created_at', v: { a: 1 }, id: 'prod_1' })}`,
      }),
      true,
      'cursor',
    ],
    [
      'cursor with a huge v',
      () => ({
        url: `/v1/stores/${storeId}/products?cursor=${cursor({ f: 'created_at', v: 1e300, id: 'prod_1' })}`,
      }),
      true,
      'cursor',
    ],
    [
      'cursor with a number id',
      () => ({ url: `/v1/stores/${storeId}/products?cursor=${cursor({ f: 'created_at', v: 1, id: 5 })}` }),
      true,
      'cursor',
    ],
    [
      'cursor with a number for a text sort',
      () => ({
        url: `/v1/stores/${storeId}/products?sort_field=key&cursor=${cursor({ f: 'key', v: 5, id: 'prod_1' })}`,
      }),
      true,
      'cursor',
    ],
    [
      'cursor that is not JSON',
      () => ({ url: `/v1/stores/${storeId}/products?cursor=bm9wZQ` }),
      true,
      'cursor',
    ],
    [
      'cursor that is JSON null',
      () => ({ url: `/v1/stores/${storeId}/products?cursor=${Buffer.from('null').toString('base64url')}` }),
      true,
      'cursor',
    ],
  ];
  const cursor = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

  it.each(cases)('%s', async (_name, request, authed, field) => {
    const res = await call(t.app, authed ? owner : null, request());
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body).toMatchObject({ error: 'validation_error', details: { field } });
  });
});

describe('money, quantity and time bounds (issue 10 defect 6)', () => {
  it.each([
    ['2^53+1', 2 ** 53 + 1, 'max'],
    ['1e21', 1e21, 'max'],
    ['1e308', 1e308, 'max'],
    ['10^12+1', 1e12 + 1, 'max'],
    ['-1', -1, 'min'],
    ['1.5', 1.5, 'type'],
  ])('refuses a price of %s', async (_name, amount, reason) => {
    const res = await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/products`,
      payload: {
        key: `p-${Math.random().toString(36).slice(2, 8)}`,
        variants: [{ prices: [{ market: 'us', amount }] }],
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.details).toMatchObject({ field: 'variants.0.prices.0.amount', reason });
  });

  it('accepts the upper bounds and a cart at them stays exact', async () => {
    const { variantId } = await stockedProduct(t.app, owner, storeId, { us: 1e12, stock: 1e6 });
    const cart = await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/carts`,
      payload: { items: [{ variant_id: variantId, quantity: 1000 }] },
    });
    expect(cart.status, JSON.stringify(cart.body)).toBe(201);
    const quote = await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/carts/${cart.body.id}/quote`,
    });
    expect(quote.status, JSON.stringify(quote.body)).toBe(200);
    expect(quote.body.subtotal).toBe(1e15);
    expect(Number.isSafeInteger(quote.body.total)).toBe(true);
  });

  it.each([
    ['quantity 10^6+1', { quantity: 1e6 + 1 }, 'items.0.quantity'],
    ['inventory above the bound', { inventory: 1e13 }, 'variants.0.inventory'],
    ['refund of 0', { refund: 0 }, 'amount'],
  ])('refuses %s', async (_name, input, field) => {
    const { variantId } = await stockedProduct(t.app, owner, storeId);
    let res;
    if ('quantity' in input) {
      res = await call(t.app, owner, {
        method: 'POST',
        url: `/v1/stores/${storeId}/orders/checkout`,
        payload: { market: 'us', items: [{ variant_id: variantId, quantity: input.quantity }] },
      });
    } else if ('inventory' in input) {
      res = await call(t.app, owner, {
        method: 'POST',
        url: `/v1/stores/${storeId}/products`,
        payload: {
          key: `inv-${Math.random().toString(36).slice(2, 8)}`,
          variants: [{ prices: [], inventory: input.inventory }],
        },
      });
    } else {
      res = await call(t.app, owner, {
        method: 'POST',
        url: `/v1/stores/${storeId}/orders/ord_00000000000000000000/refund`,
        payload: { amount: input.refund },
      });
    }
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.details.field).toBe(field);
  });
});

describe('the 0.9.x client (issue 10 defect 7)', () => {
  it('a DELETE with Content-Type: application/json and no body is authenticated and served', async () => {
    const { productId } = await stockedProduct(t.app, owner, storeId);
    const headers = { 'content-type': 'application/json' };
    const anonymous = await call(t.app, null, {
      method: 'DELETE',
      url: `/v1/stores/${storeId}/products/${productId}`,
      headers,
    });
    expect(anonymous.status).toBe(401);
    const stranger = await registerAccount(t.app);
    const forbidden = await call(t.app, stranger, {
      method: 'DELETE',
      url: `/v1/stores/${storeId}/products/${productId}`,
      headers,
    });
    expect([403, 404]).toContain(forbidden.status);
    const ok = await call(t.app, owner, {
      method: 'DELETE',
      url: `/v1/stores/${storeId}/products/${productId}`,
      headers,
    });
    expect(ok).toMatchObject({ status: 200, body: { deleted: true } });
  });
});

describe('JSON null is never coerced (issue 10 defect 8)', () => {
  it('a nullable parent_id given null stores a root node', async () => {
    const res = await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/nodes`,
      payload: { key: 'root-null', parent_id: null, blocks: [] },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.parent_id).toBeNull();
  });

  it('promo_code: null clears the code instead of storing ""', async () => {
    const cart = await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/carts`,
      payload: { promo_code: null },
    });
    expect(cart.status, JSON.stringify(cart.body)).toBe(201);
    const updated = await call(t.app, owner, {
      method: 'PUT',
      url: `/v1/stores/${storeId}/carts/${cart.body.id}`,
      payload: { promo_code: null },
    });
    expect(updated.status).toBe(200);
    const row = await t.app.deps.db.db
      .selectFrom('carts')
      .select('promo_code')
      .where('id', '=', cart.body.id)
      .executeTakeFirstOrThrow();
    expect(row.promo_code).toBeNull();
  });

  it('a required non-nullable field given null is a validation error, and strings are not numbers', async () => {
    const res = await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/products`,
      payload: { key: null },
    });
    expect(res.status).toBe(400);
    expect(res.body.details.field).toBe('key');
    const str = await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/products`,
      payload: { key: `s-${Date.now()}`, variants: [{ prices: [{ market: 'us', amount: '100' }] }] },
    });
    expect(str.status).toBe(400);
    expect(str.body.details).toMatchObject({ field: 'variants.0.prices.0.amount', reason: 'type' });
  });

  it('query strings are still coerced', async () => {
    const res = await call(t.app, owner, { url: `/v1/stores/${storeId}/products?limit=2` });
    expect(res.status).toBe(200);
  });
});

describe('admin carts without a profile (issue 10 defect 9)', () => {
  it.each([
    ['null', { profile_id: null }],
    ['absent', {}],
  ])('profile_id %s: a cart with no profile in the default market', async (_name, body) => {
    const res = await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/carts`,
      payload: body,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ profile_id: null, origin: 'admin' });
    expect(typeof res.body.market).toBe('string');
  });

  it('an unknown profile is still refused with the field', async () => {
    const res = await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/carts`,
      payload: { profile_id: 'prof_nope00000000000000' },
    });
    expect(res.body.details).toMatchObject({ field: 'profile_id', reason: 'not_found' });
  });
});

describe('CMS block patterns (issue 10 defect 2)', () => {
  it('a pathological pattern against a long value answers (RE2: linear time)', async () => {
    const blocks = [
      { key: 'code', type: 'text', properties: { pattern: '^(a+)+$' }, value: ['a'.repeat(5_000) + '!'] },
    ];
    const res = await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/nodes`,
      payload: { key: 'redos', blocks },
    });
    expect(res.status).toBe(400);
    expect(res.body.details).toMatchObject({ field: 'blocks.0.value.0', reason: 'pattern' });
  });

  it('a pattern RE2 cannot run is refused at creation, naming the field', async () => {
    const blocks = [{ key: 'code', type: 'text', properties: { pattern: '^(a)\\1$' }, value: [] }];
    const res = await call(t.app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/nodes`,
      payload: { key: 'backref', blocks },
    });
    expect(res.status).toBe(400);
    expect(res.body.details).toMatchObject({ field: 'blocks.0.properties.pattern', reason: 'pattern' });
  });
});
