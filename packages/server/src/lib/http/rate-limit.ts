import type { FastifyInstance, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import type { Config } from '../../config.ts';
import { sha256 } from '../crypto.ts';
import { AppError } from '../errors.ts';

const EXEMPT = new Set(['/healthz', '/readyz', '/metrics']);

/** The API key a request carries (`X-API-Key` or `Bearer ak_…`), if any. */
function apiKeyOf(request: FastifyRequest): string | null {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string' && header.trim()) return header.trim();
  const auth = request.headers.authorization;
  if (typeof auth === 'string' && /^bearer ak_/i.test(auth)) return auth.slice(7).trim();
  return null;
}

/**
 * Global flood limit (RATE_LIMIT_MAX per RATE_LIMIT_WINDOW_SECONDS), on top of the login and
 * email-code limits (which are counted in the database): a request with an API key counts against
 * that key, any other against the client IP (behind a proxy, set TRUST_PROXY so it is the real one).
 *
 * Counters live in each process's memory on purpose. This limit only sheds floods, so with N
 * processes a client gets at most N × max before every process refuses it, which still bounds the
 * load; no other process ever needs these counters to be correct, and a database write per request
 * would cost more than the floods it guards against. Limits that must be exact across processes
 * (logins, email codes) stay in the database.
 */
export async function installGlobalRateLimit(app: FastifyInstance, config: Config): Promise<void> {
  if (config.rateLimitMax <= 0) return;
  await app.register(rateLimit, {
    global: true,
    max: config.rateLimitMax,
    timeWindow: config.rateLimitWindowSeconds * 1000,
    cache: 10_000,
    allowList: (request) => EXEMPT.has(request.url.split('?')[0]!),
    keyGenerator: (request) => {
      const key = apiKeyOf(request);
      return key ? `key:${sha256(key).slice(0, 32)}` : `ip:${request.ip}`;
    },
    // Thrown by the plugin, so the error handler answers with the usual ApiError body.
    errorResponseBuilder: (_request, context) => {
      const seconds = Math.max(1, Math.ceil(context.ttl / 1000));
      return new AppError('rate_limited', `Too many requests; retry in ${seconds} s`, {
        retry_after: seconds,
      });
    },
  });
}
