import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { lineTax, quoteAddress, resolveZone, taxRateBps, type ZoneRules } from './zone.ts';
import { divRound, splitProRata } from '../../lib/money.ts';

const zone = (id: string, r: Partial<ZoneRules> = {}) => ({
  id,
  countries: [],
  states: [],
  postal_codes: [],
  tax_bps: null,
  ...r,
});

describe('resolveZone', () => {
  const zones = [
    zone('fallback'),
    zone('north-america', { countries: ['US', 'CA', 'MX'], tax_bps: 800 }),
    zone('california', { countries: ['US'], states: ['CA'], tax_bps: 725 }),
    zone('sf', { countries: ['US'], postal_codes: ['941*'] }),
    zone('paris', { countries: ['FR'], postal_codes: ['75001', '75 002'] }),
    zone('us-dup', { countries: ['us'] }),
  ];
  const cases: [string, object | null, string | null][] = [
    ['no address → fallback', null, 'fallback'],
    ['address without country → fallback', { state: 'CA' }, 'fallback'],
    ['country match', { country: 'MX' }, 'north-america'],
    ['lower-case country', { country: 'ca' }, 'north-america'],
    ['state beats country', { country: 'US', state: 'ca' }, 'california'],
    ['postal prefix beats state', { country: 'US', state: 'CA', postal_code: '94107' }, 'sf'],
    ['postal prefix ignores spaces', { country: 'US', postal_code: '941 07' }, 'sf'],
    ['exact postal with spaces in rule', { country: 'FR', postal_code: '75002' }, 'paris'],
    ['unlisted postal → fallback', { country: 'FR', postal_code: '69001' }, 'fallback'],
    ['unknown country → fallback', { country: 'JP' }, 'fallback'],
    ['tie goes to the earlier zone', { country: 'US', state: 'NY' }, 'north-america'],
  ];
  it.each(cases)('%s', (_name, address, expected) => {
    expect(resolveZone(zones, address as never)?.id ?? null).toBe(expected);
  });

  it('returns none when nothing matches and there is no fallback', () => {
    expect(resolveZone([zone('eu', { countries: ['FR'] })], { country: 'US' })).toBeNull();
    expect(resolveZone([zone('eu', { countries: ['FR'] })], null)).toBeNull();
  });

  it('prefers shipping over billing address', () => {
    expect(quoteAddress({ country: 'US' }, { country: 'FR' })?.country).toBe('US');
    expect(quoteAddress({ country: '' }, { country: 'FR' })?.country).toBe('FR');
    expect(quoteAddress(null, null)).toBeNull();
  });
});

describe('tax', () => {
  it.each([
    ['zone rate wins', { tax_bps: 700 }, zone('z', { tax_bps: 800 }), 800],
    ['zone rate 0 wins', { tax_bps: 700 }, zone('z', { tax_bps: 0 }), 0],
    ['null zone rate → market', { tax_bps: 700 }, zone('z'), 700],
    ['no zone → market', { tax_bps: 2000 }, null, 2000],
  ] as const)('%s', (_n, market, z, expected) => {
    expect(taxRateBps(market, z)).toBe(expected);
  });

  it.each([
    [1000, 700, 'exclusive', 70],
    [1999, 700, 'exclusive', 140], // 139.93
    [1950, 1000, 'exclusive', 195],
    [5, 1000, 'exclusive', 1], // 0.5 → away from zero
    [15, 1000, 'exclusive', 2], // 1.5 → 2
    [12000, 2000, 'inclusive', 2000],
    [2799, 2000, 'inclusive', 467], // 466.5 → 467
    [100, 0, 'inclusive', 0],
    [-1000, 700, 'exclusive', -70],
  ] as const)('lineTax(%i, %i bps, %s) = %i', (net, bps, mode, expected) => {
    expect(lineTax(net, bps, mode)).toBe(expected);
  });

  it('inclusive tax never exceeds the line and matches the exclusive rate', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        (net, bps) => {
          const tax = lineTax(net, bps, 'inclusive');
          expect(tax).toBeGreaterThanOrEqual(0);
          expect(tax).toBeLessThanOrEqual(net);
          // The pre-tax part taxed exclusively gives back the same tax within a minor unit.
          expect(Math.abs(lineTax(net - tax, bps, 'exclusive') - tax)).toBeLessThanOrEqual(1);
        },
      ),
    );
  });
});

describe('money', () => {
  it.each([
    [5, 10, 1],
    [4, 10, 0],
    [-5, 10, -1],
    [15, 10, 2],
    [25, 10, 3],
    [1, 3, 0],
    [2, 3, 1],
  ])('divRound(%i, %i) = %i', (n, d, q) => expect(divRound(n, d)).toBe(q));

  it('splits pro rata with the remainder on the last line, always summing exactly', () => {
    expect(splitProRata(100, [1, 1, 1])).toEqual([33, 33, 34]);
    expect(splitProRata(10, [0, 5, 0])).toEqual([0, 10, 0]);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 1, maxLength: 30 }),
        (total, weights) => {
          const shares = splitProRata(total, weights);
          if (weights.some((w) => w > 0)) expect(shares.reduce((a, b) => a + b, 0)).toBe(total);
          weights.forEach((w, i) => w === 0 && expect(shares[i]).toBe(0));
          shares.forEach((s) => expect(s).toBeGreaterThanOrEqual(0));
        },
      ),
    );
  });
});
