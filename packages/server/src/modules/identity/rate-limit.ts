import { sql } from 'kysely';
import type { Db } from '../../lib/context.ts';
import { AppError } from '../../lib/errors.ts';

/**
 * Fixed-window counter kept in the database, so every server process shares it. One upsert per
 * hit; over the limit → 429 `rate_limited` with `retry_after` seconds. A hit must count even when
 * the request then fails, so outside a transaction pass `untracked(ctx)`: the counter is
 * bookkeeping, not the request's result (a retry of the request is one more attempt).
 */
export async function hitRateLimit(
  db: Db,
  now: number,
  bucket: string,
  limit: number,
  windowSeconds: number,
): Promise<void> {
  const windowStart = now - (now % windowSeconds);
  const row = await db
    .insertInto('rate_limits')
    .values({ bucket, window_start: windowStart, hits: 1 })
    .onConflict((oc) =>
      oc.columns(['bucket', 'window_start']).doUpdateSet({ hits: sql`rate_limits.hits + 1` }),
    )
    .returning('hits')
    .executeTakeFirstOrThrow();
  if (row.hits > limit) {
    const retryAfter = windowStart + windowSeconds - now;
    throw new AppError(
      'rate_limited',
      `Too many attempts; try again in ${retryAfter} s`,
      { retry_after: retryAfter },
      {
        'retry-after': String(retryAfter),
      },
    );
  }
}

/** Drops finished windows (run by the maintenance job). */
export async function pruneRateLimits(db: Db, now: number): Promise<void> {
  await db
    .deleteFrom('rate_limits')
    .where('window_start', '<', now - 86400)
    .execute();
}
