import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isUniqueViolation } from '../../db/create-db.ts';
import { AppError } from '../errors.ts';
import { seal, unseal } from '../sealed.ts';
import { principalKey, type Ctx } from '../context.ts';

const TTL_SECONDS = 24 * 3600;
/** How long a first request may run before a retry may take its key over (a crashed process). */
const LOCK_SECONDS = 60;
const WAIT_MS = 10_000;

declare module 'fastify' {
  interface FastifyRequest {
    idempotency?: { principal: string; route: string; key: string };
  }
}

function hashBody(body: unknown): string {
  return createHash('sha256').update(JSON.stringify(body ?? null)).digest('hex');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `Idempotency-Key` on POST (CONTRACT §1.1): the first request with a key claims it by inserting a
 * row (a unique key, so two concurrent requests never both execute); its response is stored and
 * replayed for 24 h. The same key with another body → 409 `idempotency_conflict`. A 5xx frees the
 * key so the client can retry.
 */
export function installIdempotency(app: FastifyInstance, ctxOf: (req: FastifyRequest) => Ctx): void {
  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.method !== 'POST') return;
    const raw = request.headers['idempotency-key'];
    if (typeof raw !== 'string' || raw === '') return;
    // A streamed multipart body (uploads) cannot be hashed before it is consumed, so a replay could
    // not tell two different uploads apart: such requests are not deduplicated.
    if (!String(request.headers['content-type'] ?? 'application/json').includes('json')) return;
    if (raw.length > 255) {
      throw new AppError('validation_error', 'Idempotency-Key must be at most 255 characters', {
        field: 'Idempotency-Key',
        reason: 'max_length',
        errors: [{ field: 'Idempotency-Key', reason: 'max_length' }],
      });
    }
    const ctx = ctxOf(request);
    const principal = principalKey(ctx.principal);
    const route = `POST ${request.url.split('?')[0]}`;
    const requestHash = hashBody(request.body);
    const deadline = Date.now() + WAIT_MS;

    for (;;) {
      const now = ctx.now();
      try {
        await ctx.db
          .insertInto('idempotency_keys')
          .values({
            principal,
            route,
            key: raw,
            request_hash: requestHash,
            state: 'running',
            response_status: null,
            response_body: null,
            locked_until: now + LOCK_SECONDS,
            created_at: now,
            expires_at: now + TTL_SECONDS,
          })
          .execute();
        request.idempotency = { principal, route, key: raw };
        return;
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
      const row = await ctx.db
        .selectFrom('idempotency_keys')
        .selectAll()
        .where('principal', '=', principal)
        .where('route', '=', route)
        .where('key', '=', raw)
        .executeTakeFirst();
      if (!row) continue; // deleted meanwhile (a 5xx freed it): try to claim again
      if (row.request_hash !== requestHash) {
        throw new AppError('idempotency_conflict', 'This Idempotency-Key was already used with a different request body');
      }
      if (row.expires_at <= now) {
        await ctx.db.deleteFrom('idempotency_keys').where('principal', '=', principal).where('route', '=', route).where('key', '=', raw).where('expires_at', '<=', now).execute();
        continue;
      }
      if (row.state === 'done') {
        reply.header('idempotent-replayed', 'true');
        reply.code(row.response_status ?? 200).type('application/json; charset=utf-8');
        // Stored responses may hold tokens (login, identify): they are kept encrypted at rest.
        return reply.send(row.response_body ? unseal(ctx.config, row.response_body) : '');
      }
      if (row.locked_until < now) {
        // The first request died without answering: take its key over.
        const taken = await ctx.db
          .updateTable('idempotency_keys')
          .set({ locked_until: now + LOCK_SECONDS })
          .where('principal', '=', principal)
          .where('route', '=', route)
          .where('key', '=', raw)
          .where('state', '=', 'running')
          .where('locked_until', '<', now)
          .executeTakeFirst();
        if (Number(taken.numUpdatedRows) === 1) {
          request.idempotency = { principal, route, key: raw };
          return;
        }
      }
      if (Date.now() > deadline) {
        throw new AppError('idempotency_conflict', 'A request with this Idempotency-Key is still in progress');
      }
      await sleep(50);
    }
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const claim = request.idempotency;
    if (!claim) return payload;
    request.idempotency = undefined;
    const ctx = ctxOf(request);
    const where = ctx.db
      .updateTable('idempotency_keys')
      .where('principal', '=', claim.principal)
      .where('route', '=', claim.route)
      .where('key', '=', claim.key);
    if (reply.statusCode >= 500) {
      await ctx.db.deleteFrom('idempotency_keys').where('principal', '=', claim.principal).where('route', '=', claim.route).where('key', '=', claim.key).execute();
    } else {
      await where
        .set({
          state: 'done',
          response_status: reply.statusCode,
          response_body: seal(ctx.config, typeof payload === 'string' ? payload : String(payload ?? '')),
        })
        .execute();
    }
    return payload;
  });
}
