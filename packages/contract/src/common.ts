import { Type, type Static, type TSchema, type TUnsafe } from '@sinclair/typebox';
import { ERROR_CODES } from './errors.ts';

/**
 * A string enum rendered as `{ type: 'string', enum: [...] }` (OpenAPI-friendly). Input is matched
 * case-insensitively by the server's normalizer (CONTRACT §1.1).
 */
export function StringEnum<const T extends readonly string[]>(
  values: T,
  options: Record<string, unknown> = {},
): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}

/** `T | null` */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/**
 * Input bounds (CONTRACT §1.1 v1.1): money in [0, 10^12] minor units, quantities in [1, 10^6],
 * unix times in [0, 2^32). With them no sum of a cart (at most a few hundred lines) can leave the
 * safe-integer range, and every value fits a PostgreSQL bigint.
 */
export const BOUNDS = { money: 1_000_000_000_000, quantity: 1_000_000, time: 2 ** 32 - 1 } as const;

/** Unix seconds. */
export const Timestamp = Type.Integer({
  minimum: 0,
  maximum: BOUNDS.time,
  description: 'Unix time in seconds',
});

/** Integer amount in minor units of a currency. */
export const MinorUnits = Type.Integer({
  minimum: 0,
  maximum: BOUNDS.money,
  description: 'Amount in minor units (cents)',
});
/** A money amount that must be positive (refunds, fixed discounts). */
export const PositiveMinorUnits = Type.Integer({
  minimum: 1,
  maximum: BOUNDS.money,
  description: 'Amount in minor units (cents), > 0',
});
/** A count of units (quantities, stock, use limits). */
export const Quantity = Type.Integer({ minimum: 1, maximum: BOUNDS.quantity });

export const Id = (prefix: string) =>
  Type.String({ pattern: `^${prefix}_[A-Za-z0-9]+$`, description: `Id with prefix ${prefix}_` });

/** Key slug (CONTRACT §1.2). */
export const KEY_PATTERN = '^[a-z0-9]+([-_][a-z0-9]+)*$';
export const Key = (options: { minLength?: number } = {}) =>
  Type.String({ pattern: KEY_PATTERN, maxLength: 64, minLength: options.minLength ?? 1 });

export const LocalizedText = Type.Record(Type.String(), Type.String(), {
  description: 'Localized value: locale → text',
});

export const ApiErrorDetails = Type.Object(
  {
    field: Type.Optional(Type.String()),
    reason: Type.Optional(Type.String()),
    errors: Type.Optional(
      Type.Array(
        Type.Object({ field: Type.String(), reason: Type.String(), message: Type.Optional(Type.String()) }),
      ),
    ),
  },
  { additionalProperties: true },
);

/** Error body (seed 003 `ApiError`). */
export const ApiErrorSchema = Type.Object(
  {
    error: StringEnum(ERROR_CODES),
    message: Type.String(),
    status_code: Type.Integer(),
    request_id: Type.Optional(Type.String()),
    details: Type.Optional(ApiErrorDetails),
  },
  { $id: 'ApiError', title: 'ApiError' },
);
export type ApiErrorBody = Static<typeof ApiErrorSchema>;

/** Cursor page (seed 003 `PaginatedResponse`). */
export const Page = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), cursor: Nullable(Type.String()), has_more: Type.Boolean() });
export interface PageOf<T> {
  items: T[];
  cursor: string | null;
  has_more: boolean;
}

export const SortDirection = StringEnum(['asc', 'desc'] as const);

/** Query parameters shared by every cursor list. */
export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(Type.String({ maxLength: 512 })),
  sort_direction: Type.Optional(SortDirection),
  created_at_from: Type.Optional(Timestamp),
  created_at_to: Type.Optional(Timestamp),
};

export const Deleted = Type.Object({ deleted: Type.Literal(true) });
