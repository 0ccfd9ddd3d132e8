import { Type, type Static } from '@sinclair/typebox';
import { Nullable, StringEnum, Timestamp } from './common.ts';
import { Email } from './identity.ts';
import { Market } from './markets.ts';
import { StorefrontStore } from './store.ts';
import { Cart } from './commerce.ts';
import { Order } from './orders.ts';
import { FormSubmission } from './forms.ts';

/** Store-branded email code request (`POST /v1/stores/{storeId}/auth/code`). */
export const StoreCodeBody = Type.Object({ email: Email });

/** A shopper of one store (seed 003 `Profile`); token values and codes are never listed. */
export const Profile = Type.Object({
  id: Type.String(),
  store_id: Type.String(),
  email: Nullable(Type.String()),
  verified: Type.Boolean(),
  status: StringEnum(['active', 'archived'] as const),
  promo_usage: Type.Array(Type.Object({ promo_code_id: Type.String(), uses: Type.Integer() })),
  taxonomies: Type.Array(Type.Unknown()),
  auth_tokens: Type.Array(Type.Object({ id: Type.String(), created_at: Timestamp })),
  verification_codes: Type.Array(Type.Unknown(), { maxItems: 0 }),
  created_at: Timestamp,
  updated_at: Timestamp,
});
export type Profile = Static<typeof Profile>;

/** A guest/profile bearer token (`pt_…`). The value is shown when issued and on identify with it. */
export const ProfileToken = Type.Object({ id: Type.String(), token: Type.String(), created_at: Timestamp });
export type ProfileToken = Static<typeof ProfileToken>;

export const StorefrontParams = Type.Object({ storeId: Type.String({ maxLength: 100 }) });

export const IdentifyBody = Type.Object({
  store_id: Type.Optional(Type.String({ 'x-aliases': ['businessId'] })),
  market: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 64 }))),
  email: Type.Optional(Nullable(Email)),
  verify: Type.Optional(Type.Boolean()),
});

export const IdentifyResult = Type.Object({
  profile: Profile,
  token: ProfileToken,
  store: StorefrontStore,
  market: Nullable(Market),
  code_sent: Type.Boolean(),
});
export type IdentifyResult = Static<typeof IdentifyResult>;

export const ProfileVerifyBody = Type.Object({
  store_id: Type.Optional(Type.String({ 'x-aliases': ['businessId'] })),
  code: Type.String({ pattern: '^[0-9]{6}$' }),
  /** Needed only when the caller's profile has no email yet (identify records it). */
  email: Type.Optional(Email),
});

/** `sf.me`: the profile with its latest carts, orders and form submissions. */
export const ProfileMe = Type.Object({
  profile: Profile,
  carts: Type.Array(Cart),
  orders: Type.Array(Order),
  form_submissions: Type.Array(FormSubmission),
});
export type ProfileMe = Static<typeof ProfileMe>;
