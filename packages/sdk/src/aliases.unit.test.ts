import { describe, expect, it } from 'vitest';
import { applyAliases } from './aliases.ts';

describe('applyAliases', () => {
  it('rewrites the §2.5 keys at any depth', () => {
    expect(
      applyAliases({
        storeId: 's1',
        returnUrl: 'https://x',
        isNetwork: true,
        provider: { type: 'stripe', activeForCardPayments: true },
        market: {
          taxMode: 'EXCLUSIVE',
          taxBps: 800,
          shippingMethods: [{ freeThreshold: 5000, etaText: '2d' }],
        },
      }),
    ).toEqual({
      store_id: 's1',
      return_url: 'https://x',
      is_network: true,
      provider: { type: 'stripe', active_for_card_payments: true },
      market: {
        tax_mode: 'EXCLUSIVE',
        tax_bps: 800,
        shipping_methods: [{ free_above: 5000, eta_text: '2d' }],
      },
    });
  });

  it('maps the seed 002 quote to the wire quote', () => {
    expect(
      applyAliases({
        businessId: 'b1',
        paymentMethod: 'CREDIT_CARD',
        shippingMethodId: 'standard',
        promoCode: 'SAVE',
        lines: [
          { type: 'PRODUCT_VARIANT', productId: 'prod_1', variantId: 'var_1', quantity: 2 },
          { type: 'SERVICE', serviceId: 'svc_1', providerId: 'prv_1' },
        ],
      }),
    ).toEqual({
      store_id: 'b1',
      payment_method_id: 'CREDIT_CARD',
      shipping_method_id: 'standard',
      promo_code: 'SAVE',
      items: [
        { type: 'product', product_id: 'prod_1', variant_id: 'var_1', quantity: 2 },
        { type: 'service', service_id: 'svc_1', provider_id: 'prv_1' },
      ],
    });
  });

  it('turns webhook event names into objects', () => {
    expect(applyAliases({ events: ['order.created', { event: 'order.paid' }] })).toEqual({
      events: [{ event: 'order.created' }, { event: 'order.paid' }],
    });
  });

  it('turns seed 002 languages into ids with the default first', () => {
    expect(applyAliases({ languages: [{ code: 'fr' }, { code: 'en', isDefault: true }] })).toEqual({
      languages: [{ id: 'en' }, { id: 'fr' }],
    });
    expect(applyAliases({ languages: [{ id: 'en' }] })).toEqual({ languages: [{ id: 'en' }] });
  });

  it('keeps the wire spelling when both are given', () => {
    expect(applyAliases({ storeId: 'alias', store_id: 'wire' })).toEqual({ store_id: 'wire' });
    expect(applyAliases({ compare_at_price: 1, compare_at: 2 })).toEqual({ compare_at: 2 });
    expect(applyAliases({ storeId: 'alias', store_id: undefined })).toEqual({ store_id: 'alias' });
    expect(applyAliases({ store_id: undefined, storeId: 'alias' })).toEqual({ store_id: 'alias' });
  });

  it('never rewrites keys inside user maps', () => {
    const body = {
      headers: { storeId: 'h', 'X-Return': 'x' },
      metadata: { productId: 'm' },
      settings: { taxMode: 's' },
      blocks: [
        {
          key: 'title',
          type: 'text',
          properties: { minLength: 2, label: { en: 'Title', isNetwork: 'x' } },
          value: [{ en: 'Hi' }, { promoCode: 'kept' }],
        },
      ],
      attributes: { productId: 'shirt' },
    };
    expect(applyAliases(body)).toEqual({
      ...body,
      blocks: [{ ...body.blocks[0], properties: { min_length: 2, label: { en: 'Title', isNetwork: 'x' } } }],
    });
  });

  it('leaves non-plain values and the input alone', () => {
    const input = { when: new Date(0), storeId: 's' };
    const out = applyAliases(input);
    expect(out).toEqual({ when: input.when, store_id: 's' });
    expect(input).toHaveProperty('storeId');
    expect(applyAliases('x')).toBe('x');
  });
});
