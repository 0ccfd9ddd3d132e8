import { createHash, randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isUniqueViolation } from '../../db/create-db.ts';
import { AppError } from '../errors.ts';
import { seal, unseal } from '../sealed.ts';
import { principalKey, type Ctx } from '../context.ts';
import type { IdempotencyClaim } from '../idempotency-scope.ts';

const TTL_SECONDS = 24 * 3600;
/**
 * How long a claim lives without a heartbeat: the attempt holding a key renews it every third of
 * this, so a crashed process frees its keys within seconds while a slow request keeps its own.
 */
export const LOCK_SECONDS = 15;
const WAIT_MS = 10_000;
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyHeartbeat?: NodeJS.Timeout;
  }
}

function hashBody(body: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(body ?? null))
    .digest('hex');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const keyOf = (claim: Omit<IdempotencyClaim, 'owner'>) =>
  ({ principal: claim.principal, route: claim.route, key: claim.key }) as const;

/**
 * `Idempotency-Key` on mutating requests (CONTRACT §1.1), Stripe-style atomic phases:
 * - the first request claims the key by inserting its row (a unique key: two concurrent requests
 *   never both execute) and keeps it alive with a heartbeat;
 * - each transaction the route commits (`withTx`) writes its result into the row in that same
 *   transaction (`IdempotencyScope`), so committed work and the key's knowledge of it never part;
 * - the response (status and body) is stored once sent and replayed for 24 h;
 * - a retry of a request whose process died takes the key over once the heartbeat stops and re-runs
 *   the route in replay mode: committed transactions return their recorded result instead of
 *   executing again, so the retry answers what the original would have, without a second order;
 * - the same key with another body → 409 `idempotency_conflict`; one still running → 409 after a
 *   short wait; a 5xx before any commit frees the key so the client can retry.
 */
export function installIdempotency(app: FastifyInstance, ctxOf: (req: FastifyRequest) => Ctx): void {
  // Callback-style so that a read, or a write without a key, costs no promise here.
  app.addHook('preHandler', (request: FastifyRequest, reply: FastifyReply, done) => {
    const raw = request.headers['idempotency-key'];
    if (!MUTATING.has(request.method) || typeof raw !== 'string' || raw === '') return done();
    // A replayed answer is sent by claimKey: then the route must not run (no done()).
    claimKey(request, reply, raw).then(() => {
      if (!reply.sent) done();
    }, done);
  });

  const claimKey = async (request: FastifyRequest, reply: FastifyReply, raw: string): Promise<void> => {
    // A streamed multipart body (uploads) cannot be hashed before it is consumed, so a replay could
    // not tell two different uploads apart: such requests are not deduplicated.
    if (
      request.body !== undefined &&
      !String(request.headers['content-type'] ?? 'application/json').includes('json')
    )
      return;
    if (raw.length > 255) {
      throw new AppError('validation_error', 'Idempotency-Key must be at most 255 characters', {
        field: 'Idempotency-Key',
        reason: 'max_length',
        errors: [{ field: 'Idempotency-Key', reason: 'max_length' }],
      });
    }
    const ctx = ctxOf(request);
    const scope = ctx.idempotency;
    if (!scope) return;
    const id = {
      principal: principalKey(ctx.principal),
      route: `${request.method} ${request.url.split('?')[0]}`,
      key: raw,
    };
    const requestHash = hashBody(request.body);
    const deadline = Date.now() + WAIT_MS;
    const owner = randomUUID();
    const own = (sealedResults: string | null) => {
      const claim = { ...id, owner };
      scope.begin(claim, sealedResults);
      request.idempotencyHeartbeat = setInterval(
        () => {
          scope.unguarded
            .updateTable('idempotency_keys')
            .set({ locked_until: ctx.now() + LOCK_SECONDS })
            .where('principal', '=', id.principal)
            .where('route', '=', id.route)
            .where('key', '=', id.key)
            .where('owner', '=', owner)
            .execute()
            .catch((error: unknown) => request.log.warn({ err: error }, 'idempotency heartbeat failed'));
        },
        (LOCK_SECONDS * 1000) / 3,
      );
      request.idempotencyHeartbeat.unref();
    };
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any Kysely builder over idempotency_keys (select, update, delete)
    const where = <Q extends { where: (...a: any[]) => Q }>(q: Q): Q =>
      q.where('principal', '=', id.principal).where('route', '=', id.route).where('key', '=', id.key);

    for (;;) {
      const now = ctx.now();
      try {
        await ctx.db
          .insertInto('idempotency_keys')
          .values({
            ...keyOf(id),
            request_hash: requestHash,
            state: 'running',
            response_status: null,
            response_body: null,
            locked_until: now + LOCK_SECONDS,
            created_at: now,
            expires_at: now + TTL_SECONDS,
            tx_results: null,
            owner,
          })
          .execute();
        own(null);
        return;
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
      const row = await where(ctx.db.selectFrom('idempotency_keys').selectAll()).executeTakeFirst();
      if (!row) continue; // deleted meanwhile (a 5xx freed it): try to claim again
      if (row.request_hash !== requestHash) {
        throw new AppError(
          'idempotency_conflict',
          'This Idempotency-Key was already used with a different request body',
          { reason: 'body_mismatch' },
        );
      }
      if (row.expires_at <= now) {
        await where(ctx.db.deleteFrom('idempotency_keys')).where('expires_at', '<=', now).execute();
        continue;
      }
      if (row.state === 'done') {
        reply.header('idempotent-replayed', 'true');
        reply.code(row.response_status ?? 200).type('application/json; charset=utf-8');
        // Stored responses may hold tokens (login, identify): they are kept encrypted at rest.
        reply.send(row.response_body ? unseal(ctx.config, row.response_body) : '');
        return;
      }
      if (row.locked_until < now) {
        // The attempt holding the key died (or freed it after a 5xx): take it over. Its committed
        // transactions come along and are replayed, not executed again.
        const taken = await where(ctx.db.updateTable('idempotency_keys'))
          .set({ locked_until: now + LOCK_SECONDS, owner })
          .where('state', '=', 'running')
          .where('owner', '=', row.owner)
          .where('locked_until', '<', now)
          .executeTakeFirst();
        if (Number(taken.numUpdatedRows) === 1) {
          const fresh = await where(
            ctx.db.selectFrom('idempotency_keys').select('tx_results'),
          ).executeTakeFirst();
          own(fresh?.tx_results ?? null);
          request.log.info(
            { idempotencyKey: raw },
            'idempotency key taken over from an attempt that did not finish',
          );
          return;
        }
      }
      if (Date.now() > deadline) {
        throw new AppError(
          'idempotency_conflict',
          'A request with this Idempotency-Key is still in progress',
          { reason: 'in_progress' },
        );
      }
      await sleep(50);
    }
  };

  const stopHeartbeat = (request: FastifyRequest) => {
    if (request.idempotencyHeartbeat) clearInterval(request.idempotencyHeartbeat);
    request.idempotencyHeartbeat = undefined;
  };

  app.addHook('onSend', (request, reply, payload, done) => {
    const scope = request.ctx?.idempotency;
    const claim = scope?.claim;
    if (!scope || !claim) return done(null, payload);
    scope.claim = undefined;
    stopHeartbeat(request);
    record(request, reply, payload, claim, scope.committed).then(
      () => done(null, payload),
      (error: Error) => done(error),
    );
  });

  const record = async (
    request: FastifyRequest,
    reply: FastifyReply,
    payload: unknown,
    claim: IdempotencyClaim,
    committed: boolean,
  ): Promise<void> => {
    const ctx = ctxOf(request);
    const mine = ctx.db
      .updateTable('idempotency_keys')
      .where('principal', '=', claim.principal)
      .where('route', '=', claim.route)
      .where('key', '=', claim.key)
      .where('owner', '=', claim.owner);
    if (reply.statusCode >= 500) {
      if (committed) {
        // Some work committed: keep it recorded, only release the key so a retry finishes the rest.
        await mine.set({ locked_until: 0 }).execute();
      } else {
        await ctx.db
          .deleteFrom('idempotency_keys')
          .where('principal', '=', claim.principal)
          .where('route', '=', claim.route)
          .where('key', '=', claim.key)
          .where('owner', '=', claim.owner)
          .execute();
      }
    } else {
      await mine
        .set({
          state: 'done',
          response_status: reply.statusCode,
          response_body: seal(ctx.config, typeof payload === 'string' ? payload : String(payload ?? '')),
        })
        .execute();
    }
  };
  app.addHook('onResponse', (request, _reply, done) => {
    stopHeartbeat(request);
    done();
  });
  app.addHook('onRequestAbort', (request, done) => {
    stopHeartbeat(request);
    done();
  });
}
