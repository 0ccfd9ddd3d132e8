/** The closed table of error codes (CONTRACT §1.5): code → HTTP status. */
export const ERROR_STATUS = {
  bad_request: 400,
  validation_error: 400,
  price_not_found: 400,
  promo_code_invalid: 400,
  shipping_method_invalid: 400,
  payment_method_not_allowed: 400,
  payment_provider_not_configured: 400,
  refund_exceeds_captured: 400,
  billing_disabled: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  invalid_code: 401,
  invalid_refresh_token: 401,
  forbidden: 403,
  not_found: 404,
  already_exists: 409,
  in_use: 409,
  invalid_transition: 409,
  insufficient_stock: 409,
  slot_unavailable: 409,
  idempotency_conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal_error: 500,
  provider_error: 502,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[];

/** Codes only the SDK produces, never the server. */
export type ClientErrorCode = 'network_error' | 'parse_error';
