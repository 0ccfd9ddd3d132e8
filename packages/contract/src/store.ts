import { Type, type Static } from '@sinclair/typebox';
import { Key, Nullable, StringEnum, Timestamp } from './common.ts';
import { Email } from './identity.ts';

export const Language = Type.Object({ id: Type.String({ pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$' }) });
export const StoreEmails = Type.Object({ billing: Email, support: Email });
export const StoreStatus = StringEnum(['draft', 'active', 'archived'] as const);

export const StoreSubscription = Type.Object({
  id: Type.String(),
  target: Type.String(),
  plan_id: Type.String(),
  pending_plan_id: Nullable(Type.String()),
  payment: Type.Object({
    currency: Type.String(),
    market: Type.String(),
    provider: Type.Optional(Type.Unknown()),
  }),
  status: StringEnum(['pending', 'active', 'cancellation_scheduled', 'cancelled', 'expired'] as const),
  start_date: Nullable(Timestamp),
  end_date: Nullable(Timestamp),
  token: Type.String(),
  source: StringEnum(['signup', 'admin', 'import'] as const),
});

export const Store = Type.Object({
  id: Type.String(),
  key: Type.String(),
  timezone: Type.String(),
  languages: Type.Array(Language),
  emails: StoreEmails,
  status: StoreStatus,
  is_network: Type.Boolean(),
  settings: Type.Record(Type.String(), Type.Unknown()),
  subscription: Type.Optional(Nullable(StoreSubscription)),
  counts: Type.Optional(Type.Record(Type.String(), Type.Integer())),
  created_at: Timestamp,
  updated_at: Timestamp,
});
export type Store = Static<typeof Store>;

/** Storefront view: no subscription, counts, settings or billing email; plus payment. */
export const StorefrontStore = Type.Object({
  id: Type.String(),
  key: Type.String(),
  timezone: Type.String(),
  languages: Type.Array(Language),
  emails: Type.Object({ support: Type.String() }),
  status: StoreStatus,
  is_network: Type.Boolean(),
  payment: Nullable(
    Type.Object({
      integration_id: Type.String(),
      type: Type.Literal('stripe'),
      publishable_key: Type.String(),
      currency: Type.String(),
    }),
  ),
  created_at: Timestamp,
  updated_at: Timestamp,
});
export type StorefrontStore = Static<typeof StorefrontStore>;

const LanguagesInput = Type.Array(
  Type.Object({
    id: Type.String({ pattern: '^[a-zA-Z]{2,3}(-[A-Za-z0-9]{2,8})*$', 'x-aliases': ['code'] }),
    is_default: Type.Optional(Type.Boolean()),
  }),
  { minItems: 1, maxItems: 50 },
);

export const CreateStoreBody = Type.Object({
  key: Key({ minLength: 3 }),
  timezone: Type.String({ minLength: 1, maxLength: 64 }),
  billing_email: Email,
  languages: Type.Optional(LanguagesInput),
  emails: Type.Optional(Type.Partial(StoreEmails)),
  settings: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});

export const UpdateStoreBody = Type.Object({
  key: Type.Optional(Key({ minLength: 3 })),
  timezone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  languages: Type.Optional(LanguagesInput),
  emails: Type.Optional(Type.Partial(StoreEmails)),
  settings: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  status: Type.Optional(StoreStatus),
  is_network: Type.Optional(Type.Boolean()),
});

export const ListStoresQuery = Type.Object({
  query: Type.Optional(Type.String({ maxLength: 200 })),
  is_network: Type.Optional(Type.Boolean()),
  status: Type.Optional(StoreStatus),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(Type.String({ maxLength: 512 })),
  sort_field: Type.Optional(StringEnum(['created_at', 'updated_at', 'key'] as const)),
  sort_direction: Type.Optional(StringEnum(['asc', 'desc'] as const)),
});

export const StoreIdParams = Type.Object({ storeId: Type.String({ maxLength: 100 }) });

/** `role`: a built-in role (any case, seed 000 writes `ADMIN`) or a custom role id; default `admin`. */
export const AddMemberBody = Type.Object({
  email: Email,
  role: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
});
export const MemberParams = Type.Object({ storeId: Type.String(), accountId: Type.String() });
export const Removed = Type.Object({ removed: Type.Literal(true) });

export const SubscriptionPlan = Type.Object({
  id: Type.String(),
  name: Type.String(),
  tier: Type.String(),
  amount: Type.Integer(),
  price: Type.Integer(),
  currency: Type.String(),
  interval: StringEnum(['month', 'year'] as const),
  interval_count: Type.Integer(),
  trial_period_days: Type.Integer(),
  features: Type.Array(Type.String()),
  provider_price_id: Type.Optional(Nullable(Type.String())),
  provider_product_id: Type.Optional(Nullable(Type.String())),
});
export const SubscribeBody = Type.Object({
  plan_id: Type.String({ minLength: 1 }),
  success_url: Type.String({ format: 'uri' }),
  cancel_url: Type.String({ format: 'uri' }),
});
export const SubscribeResult = Type.Object({
  url: Nullable(Type.String()),
  checkout_url: Nullable(Type.String()),
  subscription: StoreSubscription,
});
export const PortalBody = Type.Object({ return_url: Type.String({ format: 'uri' }) });
export const PortalResult = Type.Object({ url: Type.String(), portal_url: Type.String() });
export type PortalResult = Static<typeof PortalResult>;

export type CreateStoreBody = Static<typeof CreateStoreBody>;
export type UpdateStoreBody = Static<typeof UpdateStoreBody>;
export type ListStoresQuery = Static<typeof ListStoresQuery>;
export type AddMemberBody = Static<typeof AddMemberBody>;
export type SubscriptionPlan = Static<typeof SubscriptionPlan>;
export type SubscribeBody = Static<typeof SubscribeBody>;
export type SubscribeResult = Static<typeof SubscribeResult>;
