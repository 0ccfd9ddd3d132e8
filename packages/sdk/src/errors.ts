import type { ErrorCode } from '@openarky/contract';
import type { ApiError, ApiErrorCode } from './result.ts';

/**
 * Code guessed for a non-2xx answer that is not an ApiError (a proxy page, an old server):
 * the first code of CONTRACT §1.5 with that status.
 */
const CODE_BY_STATUS: Readonly<Record<number, ErrorCode>> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'already_exists',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  500: 'internal_error',
  502: 'provider_error',
};

/** The error code a bare HTTP status stands for. */
export function codeForStatus(status: number): ErrorCode {
  return CODE_BY_STATUS[status] ?? (status >= 500 ? 'internal_error' : 'bad_request');
}

/**
 * Every code `ApiError.error` may hold. Typed as a record over the union, so the compiler fails
 * when the contract's table gains or loses a code and this list does not follow.
 */
const KNOWN_CODES: Readonly<Record<ApiErrorCode, true>> = {
  bad_request: true,
  validation_error: true,
  price_not_found: true,
  promo_code_invalid: true,
  shipping_method_invalid: true,
  payment_method_not_allowed: true,
  payment_provider_not_configured: true,
  refund_exceeds_captured: true,
  billing_disabled: true,
  unauthenticated: true,
  invalid_credentials: true,
  invalid_code: true,
  invalid_refresh_token: true,
  forbidden: true,
  not_found: true,
  already_exists: true,
  in_use: true,
  invalid_transition: true,
  insufficient_stock: true,
  slot_unavailable: true,
  idempotency_conflict: true,
  payload_too_large: true,
  unsupported_media_type: true,
  rate_limited: true,
  internal_error: true,
  provider_error: true,
  network_error: true,
  parse_error: true,
};

/** Whether a string is a code this SDK knows. */
export const isApiErrorCode = (code: string): code is ApiErrorCode => Object.hasOwn(KNOWN_CODES, code);

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Turns any non-2xx body into a complete ApiError, keeping what the server did say. */
export function toApiError(
  status: number,
  body: unknown,
  requestId: string | undefined,
  statusText = '',
): ApiError {
  const b = isRecord(body) ? body : {};
  const code = typeof b.error === 'string' ? b.error : undefined;
  const error: ApiError = {
    error: code !== undefined && isApiErrorCode(code) ? code : codeForStatus(status),
    message: typeof b.message === 'string' ? b.message : statusText || `HTTP ${status}`,
    status_code: typeof b.status_code === 'number' ? b.status_code : status,
  };
  const id = typeof b.request_id === 'string' ? b.request_id : requestId;
  if (id) error.request_id = id;
  if (isRecord(b.details)) error.details = b.details;
  // A code from a newer server: `error` falls back to its status's code, the original is kept.
  if (code !== undefined && !isApiErrorCode(code)) error.details = { ...error.details, server_error: code };
  return error;
}

/** The deepest useful reason of a fetch failure (undici puts the socket error in `cause`). */
function describeCause(cause: unknown): string {
  const parts: string[] = [];
  let c: unknown = cause;
  for (let i = 0; c && i < 4; i++) {
    if (c instanceof Error || (typeof c === 'object' && c !== null)) {
      const e = c as { message?: unknown; code?: unknown; cause?: unknown };
      const text = [typeof e.code === 'string' ? e.code : '', typeof e.message === 'string' ? e.message : '']
        .filter(Boolean)
        .join(' ');
      if (text && !parts.includes(text)) parts.push(text);
      c = e.cause;
    } else {
      parts.push(String(c));
      break;
    }
  }
  return parts.join(': ') || 'unknown cause';
}

/** The request never got an answer (offline, DNS, CORS, timeout, aborted): names the host and the cause. */
export function networkError(
  cause: unknown,
  url?: string,
  reason: 'network' | 'timeout' | 'aborted' = 'network',
): ApiError {
  let host = '';
  try {
    host = url ? new URL(url).host : '';
  } catch {
    host = '';
  }
  const what = reason === 'timeout' ? 'timed out' : reason === 'aborted' ? 'was aborted' : 'failed';
  const message = `Request to ${host || 'the server'} ${what}: ${describeCause(cause)}`;
  return {
    error: 'network_error',
    message,
    status_code: 0,
    details: { host, reason, cause: describeCause(cause) },
  };
}

/** A 2xx answer whose body is not JSON. */
export function parseError(status: number, requestId: string | undefined): ApiError {
  const error: ApiError = {
    error: 'parse_error',
    message: 'Response body is not valid JSON',
    status_code: status,
  };
  if (requestId) error.request_id = requestId;
  return error;
}

/** A parameter check failed before any request was sent (status_code 0, CONTRACT §1.5). */
export function clientValidationError(field: string, message: string): ApiError {
  return { error: 'validation_error', message, status_code: 0, details: { field, reason: 'required' } };
}
