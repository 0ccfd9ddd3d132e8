import type { Readable } from 'node:stream';
import {
  checkOutboundUrl,
  OutboundError,
  pinnedAgent,
  undici,
  type OutboundPolicy,
} from '../../lib/outbound.ts';
import { AppError, validationError } from '../../lib/errors.ts';
import { streamToTemp, type IncomingFile } from './upload.ts';

export const IMPORT_TIMEOUT_MS = 30_000;

/**
 * Downloads one store-supplied URL into a temp file (CONTRACT §9 `urls`): the SSRF check of
 * `lib/outbound.ts` first, then a GET whose connection is pinned to the checked address (no DNS
 * rebinding), no redirects, the size limit enforced while streaming, a 30 s budget.
 */
export async function fetchOutbound(
  policy: OutboundPolicy,
  url: string,
  opts: { maxBytes: number; timeoutMs: number; tmpDir: string; field: string },
): Promise<IncomingFile> {
  let target;
  try {
    target = (await checkOutboundUrl(url, policy))!;
  } catch (error) {
    if (error instanceof OutboundError)
      throw validationError({
        field: opts.field,
        reason: error.reason,
        message: `${opts.field}: ${error.message}`,
      });
    throw error;
  }
  const agent = pinnedAgent(target, opts.timeoutMs);
  const fail = (reason: string, message: string) =>
    validationError({ field: opts.field, reason, message: `${opts.field}: ${message}` });
  try {
    const res = await undici().request(target.url, {
      method: 'GET',
      dispatcher: agent,
      signal: AbortSignal.timeout(opts.timeoutMs),
      headers: { accept: '*/*' },
    });
    if (res.statusCode < 200 || res.statusCode >= 300) {
      await res.body.dump().catch(() => undefined);
      throw fail('fetch_failed', `the URL answered ${res.statusCode}`);
    }
    const length = Number(res.headers['content-length'] ?? NaN);
    if (Number.isFinite(length) && length > opts.maxBytes) {
      await res.body.dump().catch(() => undefined);
      throw new AppError('payload_too_large', `${opts.field} is larger than ${opts.maxBytes} bytes`, {
        limit: opts.maxBytes,
        field: opts.field,
      });
    }
    const { path, bytes } = await streamToTemp(
      res.body as unknown as Readable,
      opts.tmpDir,
      opts.maxBytes,
      opts.field,
    );
    const contentType = String(res.headers['content-type'] ?? '');
    const last = target.url.pathname.split('/').filter(Boolean).pop() ?? '';
    let name = last;
    try {
      name = decodeURIComponent(last);
    } catch {
      // A malformed escape in the URL: keep the name as written.
    }
    name ||= 'download';
    return { field: opts.field, path, bytes, filename: name.slice(0, 255), declared: contentType };
  } catch (error) {
    if (error instanceof AppError) throw error;
    const e = error as { name?: string; code?: string };
    if (e.name === 'TimeoutError' || e.name === 'AbortError' || /TIMEOUT/.test(e.code ?? ''))
      throw fail('timeout', `no answer within ${opts.timeoutMs / 1000} s`);
    throw fail('fetch_failed', 'the URL could not be fetched');
  } finally {
    void agent.close().catch(() => undefined);
  }
}
