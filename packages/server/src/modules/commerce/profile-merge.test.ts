import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { call, uniqueEmail, type Caller } from '../../../test/fixtures.ts';
import { ADDRESS, commerceStore, stockedProduct } from '../../../test/commerce-fixtures.ts';
import { startSmtpSink, type SmtpSink } from '../../../test/smtp-sink.ts';

let t: TestApp;
let smtp: SmtpSink;

beforeAll(async () => {
  smtp = await startSmtpSink();
  t = await createTestApp({ env: { SMTP_URL: smtp.url } });
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

const bearer = (token: string): Caller => ({ headers: { authorization: `Bearer ${token}` } });

async function verified(storeId: string, email: string, token?: string) {
  const caller = token ? bearer(token) : null;
  const id = await call(t.app, caller, {
    method: 'POST',
    url: `/v1/storefront/${storeId}/profiles/identify`,
    payload: { email, verify: true },
  });
  expect(id.status).toBe(200);
  await t.app.deps.jobs.tick();
  const code = smtp.codeFor(email);
  const res = await call(t.app, bearer(token ?? id.body.token.token), {
    method: 'POST',
    url: `/v1/storefront/${storeId}/profiles/verify`,
    payload: { code },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return { profileId: id.body.profile.id as string, token: res.body.token as string };
}

describe('profile merge (sf.verify into an existing profile)', () => {
  it("moves the merged guest's carts and orders to the surviving profile", async () => {
    const { owner, storeId } = await commerceStore(t.app);
    const { variantId } = await stockedProduct(t.app, owner, storeId);
    const email = uniqueEmail('merge');
    const survivor = await verified(storeId, email);

    // A new device: a guest with a cart and an order of its own.
    const device = await call(t.app, null, {
      method: 'POST',
      url: `/v1/storefront/${storeId}/profiles/identify`,
      payload: {},
    });
    const guest = bearer(device.body.token.token);
    const cart = await call(t.app, guest, {
      method: 'POST',
      url: `/v1/storefront/${storeId}/carts/current`,
      payload: { market: 'us' },
    });
    expect(cart.status).toBe(200);
    const order = await call(t.app, guest, {
      method: 'POST',
      url: `/v1/stores/${storeId}/orders/checkout`,
      payload: {
        market: 'us',
        items: [{ variant_id: variantId, quantity: 1 }],
        shipping_address: ADDRESS,
        shipping_method_id: 'standard',
      },
    });
    expect(order.status).toBe(201);

    // The guest proves the survivor's email: it is merged into the survivor.
    const after = await verified(storeId, email, device.body.token.token);
    expect(after.profileId).toBe(device.body.profile.id);
    const me = await call(t.app, bearer(after.token), { url: `/v1/storefront/${storeId}/profiles/me` });
    expect(me.status).toBe(200);
    expect(me.body.profile.id).toBe(survivor.profileId);
    expect(me.body.carts.map((c: { id: string }) => c.id)).toContain(cart.body.id);
    expect(me.body.orders.map((o: { id: string }) => o.id)).toContain(order.body.order_id);

    const db = t.app.deps.db.db;
    const left = await db
      .selectFrom('orders')
      .select('id')
      .where('profile_id', '=', device.body.profile.id)
      .execute();
    expect(left).toEqual([]);
    const moved = await db
      .selectFrom('carts')
      .select('profile_id')
      .where('id', '=', cart.body.id)
      .executeTakeFirstOrThrow();
    expect(moved.profile_id).toBe(survivor.profileId);
  });
});
