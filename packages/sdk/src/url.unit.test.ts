import { describe, expect, it } from 'vitest';
import { buildQuery, hasEmptySegment, path } from './url.ts';

describe('path', () => {
  it('encodes each interpolated value as one segment', () => {
    expect(path`/v1/stores/${'store_1'}/products/${'store_1:en:crème brûlée'}`).toBe(
      '/v1/stores/store_1/products/store_1%3Aen%3Acr%C3%A8me%20br%C3%BBl%C3%A9e',
    );
    expect(path`/v1/x/${'a/b?c'}`).toBe('/v1/x/a%2Fb%3Fc');
  });

  it('leaves an empty segment for a missing value, which the transport rejects', () => {
    expect(path`/v1/platform/countries/${undefined}`).toBe('/v1/platform/countries/');
    expect(hasEmptySegment(path`/v1/stores/${''}/products`)).toBe(true);
    expect(hasEmptySegment('/v1/stores/s/products')).toBe(false);
  });
});

describe('buildQuery', () => {
  it('JSON-encodes arrays, writes booleans and numbers, omits null and undefined', () => {
    expect(buildQuery({ ids: ['prod_1'], match_all: false, limit: 5, cursor: null, query: undefined })).toBe(
      '?ids=%5B%22prod_1%22%5D&match_all=false&limit=5',
    );
  });

  it('URL-encodes keys and values and is empty when nothing is left', () => {
    expect(buildQuery({ 'a b': 'x&y=z' })).toBe('?a%20b=x%26y%3Dz');
    expect(buildQuery({ cursor: undefined })).toBe('');
    expect(buildQuery(undefined)).toBe('');
  });
});
