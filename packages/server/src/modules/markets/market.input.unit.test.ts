import { describe, expect, it } from 'vitest';
import { normalizeMarketInput } from './market.input.ts';

const target = { storeId: 'store_A', marketId: 'mkt_1', marketKey: 'us' };

describe('normalizeMarketInput', () => {
  it('turns the seed 002 market and zone into the canonical shape', () => {
    // The body as it reaches the service: the HTTP normalizer has already renamed camelCase keys
    // and lower-cased enum values (CREDIT_CARD → credit_card, PICKUP → pickup).
    const { value, errors, locationRefs } = normalizeMarketInput(
      {
        key: 'us',
        currency: 'usd',
        tax_mode: 'exclusive',
        tax_bps: 700,
        payment_methods: [{ method: 'credit_card' }, { method: 'cash' }],
        zones: [
          {
            id: 'north-america',
            name: 'North America',
            countries: ['us', 'CA', 'MX'],
            tax_bps: 800,
            shipping_methods: [
              {
                id: 'standard',
                type: 'shipping',
                prices: [
                  { market: 'EU', amount: 900 },
                  { market: 'US', amount: 500, free_above: 5000 },
                ],
                taxable: true,
                eta_text: '3-5 business days',
              },
              {
                id: 'pickup',
                type: 'pickup',
                prices: [{ market: 'US', amount: 0 }],
                location: { address: '123 Main St, NY', coordinates: { lat: 40.7, lon: -74 } },
              },
            ],
          },
        ],
      },
      target,
    );
    expect(errors).toEqual([]);
    expect(locationRefs).toEqual([]);
    expect(value).toEqual({
      key: 'us',
      currency: 'USD',
      tax_mode: 'exclusive',
      tax_bps: 700,
      payment_methods: [{ id: 'credit_card' }, { id: 'cash' }],
      zones: [
        {
          id: 'north-america',
          store_id: 'store_A',
          market_id: 'mkt_1',
          name: 'North America',
          countries: ['US', 'CA', 'MX'],
          states: [],
          postal_codes: [],
          tax_bps: 800,
          shipping_methods: [
            {
              id: 'standard',
              type: 'shipping',
              name: null,
              taxable: true,
              eta_text: '3-5 business days',
              amount: 500,
              free_above: 5000,
              weight_tiers: [],
              location_id: null,
              location: null,
              integration_id: null,
            },
            {
              id: 'pickup',
              type: 'pickup',
              name: null,
              taxable: false,
              eta_text: '',
              amount: 0,
              free_above: null,
              weight_tiers: [],
              location_id: null,
              location: { address: '123 Main St, NY', coordinates: { lat: 40.7, lon: -74 } },
              integration_id: null,
            },
          ],
        },
      ],
    });
  });

  it('fills missing zone and method ids, keeps explicit amounts over seed 002 prices, sorts weight tiers', () => {
    const { value, errors } = normalizeMarketInput(
      {
        zones: [
          {
            states: [' ca '],
            postal_codes: ['941*'],
            shipping_methods: [
              {
                amount: 300,
                prices: [{ market: 'us', amount: 999, free_above: 10 }],
                weight_tiers: [
                  { up_to_grams: 5000, amount: 900 },
                  { up_to_grams: 1000, amount: 400 },
                ],
              },
            ],
          },
        ],
      },
      target,
    );
    expect(errors).toEqual([]);
    const zone = value.zones![0]!;
    expect(zone.id).toMatch(/^zone_[A-Za-z0-9]{20}$/);
    expect(zone.states).toEqual(['CA']);
    const method = zone.shipping_methods[0]!;
    expect(method.id).toMatch(/^shm_/);
    expect(method).toMatchObject({ type: 'shipping', amount: 300, free_above: 10 });
    expect(method.weight_tiers?.map((t) => t.up_to_grams)).toEqual([1000, 5000]);
    expect(Object.keys(value)).toEqual(['zones']);
  });

  it('collects every rule broken, each with its dotted field', () => {
    const { errors, locationRefs } = normalizeMarketInput(
      {
        currency: 'ABC',
        payment_methods: [{ id: 'cash' }, {}, { method: 'cash' }],
        zones: [
          {
            id: 'z',
            countries: ['US', 'QQ'],
            shipping_methods: [
              { id: 'a', prices: [{ market: 'eu', amount: 5 }] },
              { id: 'p', type: 'pickup', amount: 0 },
            ],
          },
          {
            id: 'z',
            shipping_methods: [
              { id: 'a', amount: 1 },
              { id: 'b', type: 'pickup', amount: 0, location_id: 'loc_x' },
            ],
          },
        ],
      },
      target,
    );
    expect(errors.map((e) => [e.field, e.reason])).toEqual([
      ['currency', 'invalid_currency'],
      ['payment_methods.1.id', 'required'],
      ['payment_methods.2.id', 'duplicate'],
      ['zones.0.countries.1', 'invalid_country'],
      ['zones.0.shipping_methods.0.amount', 'required'],
      ['zones.0.shipping_methods.1.location_id', 'required'],
      ['zones.1.id', 'duplicate'],
      ['zones.1.shipping_methods.0.id', 'duplicate'],
    ]);
    expect(locationRefs).toEqual([{ field: 'zones.1.shipping_methods.1.location_id', locationId: 'loc_x' }]);
  });
});
