import { describe, expect, it } from 'vitest';
import {
  createUtils,
  formatMinor,
  formatPrice,
  getAvailableStock,
  getBlockTextValue,
  getBlockValue,
  getBlockValues,
  getImageUrl,
  getPriceAmount,
  hasStock,
  slugify,
} from './utils.ts';

const media = {
  id: 'med_1',
  mime_type: 'image/png',
  resolutions: {
    original: { id: 'r0', size: 'original', url: 'https://cdn/o.png' },
    thumbnail: { id: 'r1', size: 'thumbnail', url: 'https://cdn/t.png' },
  },
};
const product = {
  blocks: [
    { key: 'title', type: 'text', value: [{ en: 'Shirt', fr: 'Chemise' }] },
    { key: 'tags', type: 'text', value: ['a', 'b'] },
    { key: 'legacy', type: 'number', value: 42 },
    { key: 'gallery', type: 'relationship', value: [media] },
    { key: 'empty', type: 'text', value: null },
  ],
};

describe('blocks', () => {
  it('reads text: plain string, localized map with fallback, 0.9.x scalars', () => {
    expect(getBlockTextValue(product.blocks[0], 'fr')).toBe('Chemise');
    expect(getBlockTextValue(product.blocks[0], 'de')).toBe('Shirt');
    expect(getBlockTextValue({ value: [{ fr: 'Seul' }] }, 'de')).toBe('Seul');
    expect(getBlockTextValue({ value: 'Hello' }, 'en')).toBe('Hello');
    expect(getBlockTextValue({ value: { en: 'Hi' } }, 'fr')).toBe('Hi');
    expect(getBlockTextValue(product.blocks[2], 'en')).toBe('42');
    expect(getBlockTextValue(undefined, 'en')).toBe('');
  });

  it('reads values by key', () => {
    expect(getBlockValue(product, 'tags')).toBe('a');
    expect(getBlockValues(product, 'tags')).toEqual(['a', 'b']);
    expect(getBlockValues(product, 'legacy')).toEqual([42]);
    expect(getBlockValues(product, 'empty')).toEqual([]);
    expect(getBlockValues(product.blocks, 'missing')).toEqual([]);
    expect(getBlockValue(null, 'x')).toBeUndefined();
  });
});

describe('getImageUrl', () => {
  it('reads media, hydrated relationship blocks and plain URLs', () => {
    expect(getImageUrl(media)).toBe('https://cdn/o.png');
    expect(getImageUrl(media, 'thumbnail')).toBe('https://cdn/t.png');
    expect(getImageUrl(media, 'large')).toBe('https://cdn/o.png');
    expect(getImageUrl(product.blocks[3], 'thumbnail')).toBe('https://cdn/t.png');
    expect(getImageUrl({ value: media })).toBe('https://cdn/o.png');
    expect(getImageUrl('https://x/y.jpg')).toBe('https://x/y.jpg');
  });

  it('gives null for unhydrated refs and nothing', () => {
    expect(getImageUrl('media:med_1')).toBeNull();
    expect(getImageUrl({ value: ['media:med_1'] })).toBeNull();
    expect(getImageUrl(null)).toBeNull();
  });
});

describe('money', () => {
  const prices = [
    { market: 'us', currency: 'USD', amount: 1999 },
    { market: 'jp', currency: 'JPY', amount: 1500 },
  ];

  it('formats minor units with the currency digits', () => {
    expect(formatMinor(1999, 'USD')).toBe('$19.99');
    expect(formatMinor(1500, 'JPY')).toBe('¥1,500');
    expect(formatMinor(1234, 'KWD')).toContain('1.234');
  });

  it('picks the price of a market, any case', () => {
    expect(getPriceAmount(prices, 'JP')).toBe(1500);
    expect(getPriceAmount(prices, 'fr')).toBeNull();
    expect(getPriceAmount(700, 'us')).toBe(700);
    expect(formatPrice(prices, 'us')).toBe('$19.99');
    expect(formatPrice(prices)).toBe('$19.99');
    expect(formatPrice(prices, 'fr')).toBe('');
    expect(formatPrice({ currency: 'EUR', amount: 500 })).toBe('€5.00');
  });

  it('uses the client market and locale as defaults in sdk.utils', () => {
    const defaults = { locale: 'en', market: 'jp' as string | undefined };
    const utils = createUtils(defaults);
    expect(utils.formatPrice(prices)).toBe('¥1,500');
    defaults.market = 'us';
    expect(utils.getPriceAmount(prices)).toBe(1999);
    defaults.locale = 'fr';
    expect(utils.getBlockTextValue(product.blocks[0])).toBe('Chemise');
  });
});

describe('stock', () => {
  it('sums levels; -1 is unlimited; empty is 0; numbers accepted', () => {
    expect(getAvailableStock({ inventory: [{ available: 3 }, { available: 4 }] })).toBe(7);
    expect(getAvailableStock({ inventory: [{ available: 3 }, { available: -1 }] })).toBe(Infinity);
    expect(getAvailableStock({ inventory: [] })).toBe(0);
    expect(getAvailableStock({})).toBe(0);
    expect(getAvailableStock({ inventory: 5 })).toBe(5);
    expect(getAvailableStock({ inventory: -1 })).toBe(Infinity);
    expect(hasStock({ inventory: [{ available: 2 }] }, 2)).toBe(true);
    expect(hasStock({ inventory: [{ available: 2 }] }, 3)).toBe(false);
    expect(hasStock({ inventory: [{ available: -1 }] }, 1e6)).toBe(true);
  });
});

describe('slugify', () => {
  it('makes a key-shaped slug', () => {
    expect(slugify('  Crème Brûlée à 2€! ')).toBe('creme-brulee-a-2');
    expect(slugify('Hello__World')).toBe('hello-world');
  });
});
