import { describe, expect, it } from 'vitest';
import { fakeFetch, json, memoryConfig } from '../test/fake-fetch.ts';
import { createAdmin, createArkyClient, createStorefront, createStorefrontClient } from './index.ts';

describe('createArkyClient', () => {
  it('applies defaults and exposes environment and setters', () => {
    const { config } = memoryConfig(null, { baseUrl: undefined });
    const sdk = createArkyClient(config);
    expect(sdk.environment).toBe('production');
    expect(sdk.config.baseUrl).toBe('http://localhost:8000');
    expect(sdk.config.refreshPath).toBe('/v1/auth/refresh');
    expect(sdk.getLocale()).toBe('en');
    sdk.setStoreId('store_2');
    sdk.setMarket('eu');
    sdk.setLocale('fr');
    expect([sdk.getStoreId(), sdk.getMarket(), sdk.getLocale()]).toEqual(['store_2', 'eu', 'fr']);
    expect(config.storeId).toBe('store_1');
    expect(createAdmin).toBe(createArkyClient);
    expect(createStorefront).toBe(createStorefrontClient);
  });

  it('calls the platform routes with encoded segments', async () => {
    const f = fakeFetch((call) =>
      json(200, call.path.endsWith('currencies') ? ['USD'] : { items: [], cursor: null, has_more: false }),
    );
    const sdk = createArkyClient({
      ...memoryConfig(null).config,
      baseUrl: 'http://api.test/',
      environment: 'sandbox',
      fetch: f.fetch,
    });
    expect(sdk.environment).toBe('sandbox');
    expect(await sdk.platform.getCurrencies()).toEqual({ ok: true, val: ['USD'] });
    await sdk.platform.getCountries();
    await sdk.platform.getCountry({ code: 'f/r' });
    await sdk.platform.getWebhookEvents();
    await sdk.platform.getIntegrationServices();
    expect(f.calls.map((c) => c.url)).toEqual([
      'http://api.test/v1/platform/currencies',
      'http://api.test/v1/platform/countries',
      'http://api.test/v1/platform/countries/f%2Fr',
      'http://api.test/v1/platform/events',
      'http://api.test/v1/platform/integration-services',
    ]);
  });

  it('gives the storefront client autoGuest through the shared transport', async () => {
    const f = fakeFetch((call) =>
      call.path.endsWith('/identify')
        ? json(200, { token: { token: 'pt_1' } })
        : json(200, call.headers.authorization),
    );
    const { config, store } = memoryConfig(null, { fetch: f.fetch, autoGuest: true });
    const sf = createStorefrontClient(config);
    const res = await sf.request({ method: 'GET', path: '/v1/storefront/store_1/products' });
    expect(res).toEqual({ ok: true, val: 'Bearer pt_1' });
    expect(store.tokens).toEqual({ access_token: 'pt_1', provider: 'GUEST' });
  });
});
