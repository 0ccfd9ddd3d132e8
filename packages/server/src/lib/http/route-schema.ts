import { ApiErrorSchema } from '@openarky/contract';

/** Error responses every route documents (and serializes through the ApiError whitelist). */
export const errorResponses = {
  '4xx': ApiErrorSchema,
  '5xx': ApiErrorSchema,
} as const;
