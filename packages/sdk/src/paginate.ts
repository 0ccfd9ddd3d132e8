import type { PageOf } from '@openarky/contract';
import { ArkyError, type Result } from './result.ts';

/** A cursor page (seed 003 `PaginatedResponse`). */
export type Page<T> = PageOf<T>;

/** `limit` and `cursor` (seed 003 `PaginationParams`). */
export interface PaginationParams {
  cursor?: string | null;
  limit?: number;
}

/** What a list method returns: await it for the first page, or `for await` over every item. */
export type PageRequest<T> = Promise<Result<Page<T>>> & AsyncIterable<T>;

/**
 * Builds a PageRequest from a page fetcher. The first page is requested at once (like any call)
 * and shared by the awaited result and the iteration.
 */
export function paginate<T>(
  fetchPage: (cursor: string | undefined) => Promise<Result<Page<T>>>,
  start?: string,
): PageRequest<T> {
  const first = fetchPage(start);
  async function* items(): AsyncGenerator<T> {
    let page = await first;
    for (;;) {
      // Iteration has no Result to return, so a failed page surfaces as an exception.
      if (!page.ok) throw new ArkyError(page.val);
      yield* page.val.items;
      if (!page.val.has_more || !page.val.cursor) return;
      page = await fetchPage(page.val.cursor);
    }
  }
  return Object.assign(first, { [Symbol.asyncIterator]: items });
}
