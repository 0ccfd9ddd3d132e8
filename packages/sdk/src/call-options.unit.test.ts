import { describe, expect, it } from 'vitest';
import { fakeFetch, json, memoryConfig } from '../test/fake-fetch.ts';
import { createArkyClient } from './client.ts';

const client = (handler: Parameters<typeof fakeFetch>[0], extra = {}) => {
  const f = fakeFetch(handler);
  const { config } = memoryConfig('tok', { fetch: f.fetch, retryBaseMs: 1, ...extra });
  return { sdk: createArkyClient(config), calls: f.calls };
};

describe('per-call options in namespace params', () => {
  it('a method that builds only a path still honours timeoutMs and signal', async () => {
    const { sdk, calls } = client((c) => new Promise<Response>(() => void c), { maxRetries: 0 });
    const timedOut = await sdk.market.get({ id: 'us', timeoutMs: 20 });
    expect(timedOut).toMatchObject({ ok: false, val: { details: { reason: 'timeout' } } });

    const controller = new AbortController();
    controller.abort();
    const aborted = await sdk.account.deleteAccount({ signal: controller.signal });
    expect(aborted).toMatchObject({ ok: false, val: { details: { reason: 'aborted' } } });
    expect(calls[0]!.path).toBe('/v1/stores/store_1/markets/us');
  });

  it('idempotencyKey is sent as the header, on every retry, and never in the body', async () => {
    let n = 0;
    const { sdk, calls } = client(() => (n++ === 0 ? json(503, {}) : json(201, { id: 'role_1' })));
    const res = await sdk.store.role.create({ name: 'Editors', permissions: [], idempotencyKey: 'k-1' });
    expect(res.ok).toBe(true);
    expect(calls.map((c) => c.headers['idempotency-key'])).toEqual(['k-1', 'k-1']);
    expect(calls[0]!.body).toEqual({ name: 'Editors', permissions: [] });
  });

  it("a list's later pages keep the call's signal", async () => {
    const controller = new AbortController();
    const { sdk, calls } = client((c) => {
      if (c.url.includes('cursor=')) controller.abort();
      return json(200, { items: [{ id: 'p' }], cursor: 'c2', has_more: true });
    });
    const seen: unknown[] = [];
    await expect(async () => {
      for await (const p of sdk.eshop.product.find({ signal: controller.signal })) seen.push(p);
    }).rejects.toMatchObject({ error: { details: { reason: 'aborted' } } });
    expect(seen).toHaveLength(1);
    expect(calls).toHaveLength(2);
  });
});

describe('error codes', () => {
  it("a code from a newer server becomes its status's code, the original kept in details", async () => {
    const { sdk } = client(() =>
      json(409, { error: 'brand_new_conflict', message: 'x', status_code: 409, details: { field: 'a' } }),
    );
    const res = await sdk.market.get({ id: 'us' });
    expect(res).toMatchObject({
      ok: false,
      val: { error: 'already_exists', details: { field: 'a', server_error: 'brand_new_conflict' } },
    });
  });
});
