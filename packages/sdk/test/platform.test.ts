import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../server/test/helpers.ts';
import { createArkyClient, type ArkyClient } from '../src/index.ts';

let t: TestApp;
let sdk: ArkyClient;

beforeAll(async () => {
  t = await createTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = t.app.server.address() as AddressInfo;
  sdk = createArkyClient({
    storeId: 'store_none',
    baseUrl: `http://127.0.0.1:${port}`,
    getToken: () => null,
    setToken: () => {},
  });
});
afterAll(async () => t?.close());

describe('sdk.platform against the real server', () => {
  it('lists currencies', async () => {
    const res = await sdk.platform.getCurrencies();
    if (!res.ok) throw new Error(res.val.message);
    expect(res.val).toEqual(expect.arrayContaining(['USD', 'EUR']));
  });

  it('lists countries with their states, awaited and iterated', async () => {
    const res = await sdk.platform.getCountries();
    if (!res.ok) throw new Error(res.val.message);
    expect(res.val.has_more).toBe(false);
    const us = res.val.items.find((c) => c.code === 'US');
    expect(us?.states.map((s) => s.code)).toContain('CA');
    let count = 0;
    for await (const country of sdk.platform.getCountries()) count += country.code ? 1 : 0;
    expect(count).toBe(res.val.items.length);
  });

  it('gets one country by code in any case', async () => {
    const res = await sdk.platform.getCountry({ code: 'fr' });
    expect(res).toMatchObject({ ok: true, val: { code: 'FR' } });
  });

  it('answers an unknown country with a not_found Result carrying the request id', async () => {
    const res = await sdk.platform.getCountry({ code: 'zz' });
    expect(res.ok).toBe(false);
    expect(res.val).toMatchObject({ error: 'not_found', status_code: 404, request_id: expect.any(String) });
  });
});
