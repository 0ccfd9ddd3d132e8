import { describe, expect, it } from 'vitest';
import { fakeFetch, json, memoryConfig } from '../test/fake-fetch.ts';
import { paginate } from './paginate.ts';
import { ArkyError, err, ok, type ApiError } from './result.ts';
import { Transport } from './transport.ts';

const pages: Record<string, { items: number[]; cursor: string | null; has_more: boolean }> = {
  start: { items: [1, 2], cursor: 'c2', has_more: true },
  c2: { items: [3, 4], cursor: 'c3', has_more: true },
  c3: { items: [5], cursor: null, has_more: false },
};

function setup() {
  const f = fakeFetch((call) => json(200, pages[new URL(call.url).searchParams.get('cursor') ?? 'start']));
  const { config } = memoryConfig(null, { fetch: f.fetch });
  return { t: new Transport(config), calls: f.calls };
}

describe('list', () => {
  it('awaits to the first page', async () => {
    const { t, calls } = setup();
    const res = await t.list<number>('/v1/things', { limit: 2 });
    expect(res).toEqual({ ok: true, val: pages.start });
    expect(calls.map((c) => c.url)).toEqual(['http://api.test/v1/things?limit=2']);
  });

  it('iterates every item of 3 pages, following the cursor', async () => {
    const { t, calls } = setup();
    const seen: number[] = [];
    for await (const n of t.list<number>('/v1/things', { limit: 2 })) seen.push(n);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(calls.map((c) => c.url)).toEqual([
      'http://api.test/v1/things?limit=2',
      'http://api.test/v1/things?limit=2&cursor=c2',
      'http://api.test/v1/things?limit=2&cursor=c3',
    ]);
  });

  it('starts from a given cursor', async () => {
    const { t } = setup();
    const seen: number[] = [];
    for await (const n of t.list<number>('/v1/things', { cursor: 'c3' })) seen.push(n);
    expect(seen).toEqual([5]);
  });
});

describe('paginate', () => {
  it('throws ArkyError from the iteration when a page fails', async () => {
    const failure: ApiError = { error: 'internal_error', message: 'boom', status_code: 500 };
    const req = paginate<number>(async (cursor) =>
      cursor ? err(failure) : ok({ items: [1], cursor: 'next', has_more: true }),
    );
    const seen: number[] = [];
    const caught = await (async () => {
      try {
        for await (const n of req) seen.push(n);
      } catch (e) {
        return e;
      }
    })();
    expect(seen).toEqual([1]);
    expect(caught).toBeInstanceOf(ArkyError);
    expect((caught as ArkyError).error).toEqual(failure);
  });
});
