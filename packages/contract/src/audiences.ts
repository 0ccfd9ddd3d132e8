import { Type, type Static } from '@sinclair/typebox';
import { Email } from './identity.ts';
import { Key, MinorUnits, Nullable, PageQuery, StringEnum, Timestamp } from './common.ts';
import { Profile } from './profiles.ts';
import { Cart } from './commerce.ts';
import { Order } from './orders.ts';
import { FormSubmission } from './forms.ts';

/** Customer profiles for admins and audiences (profile lists) (CONTRACT §10.6, v1.1). */

export const ProfileListStatus = StringEnum(['active', 'draft', 'archived'] as const);
export const ListPrice = Type.Object({
  id: Type.String(),
  currency: Type.String(),
  amount: MinorUnits,
  interval: StringEnum(['month', 'year'] as const),
});
export const ListPriceInput = Type.Object({
  id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  currency: Type.String({ pattern: '^[A-Za-z]{3}$' }),
  amount: Type.Integer({ minimum: 1, maximum: 1e12 }),
  interval: StringEnum(['month', 'year'] as const),
});

/** `standard` (active at once), `confirmation` (double opt-in), `paid` (Stripe subscription). */
export const ProfileListType = Type.Object({
  type: StringEnum(['standard', 'confirmation', 'paid'] as const),
  prices: Type.Optional(Type.Array(ListPrice)),
});
export type ProfileListType = Static<typeof ProfileListType>;

export const ProfileList = Type.Object(
  {
    id: Type.String(),
    store_id: Type.String(),
    key: Type.String(),
    name: Nullable(Type.String()),
    description: Nullable(Type.String()),
    status: ProfileListStatus,
    type: ProfileListType,
    member_count: Type.Integer(),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { title: 'ProfileList' },
);
export type ProfileList = Static<typeof ProfileList>;

const TypeInput = Type.Union([
  Type.String({ maxLength: 30 }),
  Type.Object({
    type: Type.String({ maxLength: 30 }),
    prices: Type.Optional(Type.Array(ListPriceInput, { maxItems: 20 })),
  }),
]);

export const CreateProfileListBody = Type.Object({
  key: Key(),
  name: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  description: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  status: Type.Optional(ProfileListStatus),
  type: Type.Optional(TypeInput),
});
export const UpdateProfileListBody = Type.Partial(CreateProfileListBody);

export const MembershipStatus = StringEnum([
  'pending',
  'active',
  'cancellation_scheduled',
  'cancelled',
  'expired',
] as const);
export type MembershipStatus = Static<typeof MembershipStatus>;

export const Membership = Type.Object(
  {
    id: Type.String(),
    store_id: Type.String(),
    profile_id: Type.String(),
    profile_list_id: Type.String(),
    source: StringEnum(['signup', 'admin', 'import'] as const),
    fields: Type.Record(Type.String(), Type.Unknown()),
    lead_description: Nullable(Type.String()),
    status: MembershipStatus,
    plan_id: Nullable(Type.String()),
    pending_plan_id: Nullable(Type.String()),
    payment: Nullable(Type.Record(Type.String(), Type.Unknown())),
    start_date: Nullable(Timestamp),
    end_date: Nullable(Timestamp),
    /** The unsubscribe token: shown only to its own profile and to admins. */
    token: Type.Optional(Type.String()),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { title: 'ProfileListMembership' },
);
export type Membership = Static<typeof Membership>;

export const ProfileListMember = Type.Object({ profile: Profile, membership: Membership });
export type ProfileListMember = Static<typeof ProfileListMember>;

export const ProfileListParams = Type.Object({
  storeId: Type.String({ maxLength: 100 }),
  id: Type.String({ maxLength: 200 }),
});
export const ListMembersParams = Type.Object({
  storeId: Type.String({ maxLength: 100 }),
  listId: Type.String({ maxLength: 100 }),
});
export const ListMemberParams = Type.Object({
  storeId: Type.String({ maxLength: 100 }),
  listId: Type.String({ maxLength: 100 }),
  profileId: Type.String({ maxLength: 100 }),
});

export const FindProfileListsQuery = Type.Object({
  ...PageQuery,
  ids: Type.Optional(Type.Array(Type.String(), { maxItems: 100 })),
  key: Type.Optional(Type.String({ maxLength: 64 })),
  query: Type.Optional(Type.String({ maxLength: 200 })),
  status: Type.Optional(ProfileListStatus),
  sort_field: Type.Optional(StringEnum(['created_at', 'updated_at', 'key'] as const)),
});

const MemberFields = Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), { maxProperties: 100 });

export const ListAddMemberBody = Type.Object({
  fields: Type.Optional(MemberFields),
  lead_description: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
});
export const UpdateMemberBody = Type.Object({
  status: Type.Optional(MembershipStatus),
  fields: Type.Optional(MemberFields),
  lead_description: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
});

export const FindMembersQuery = Type.Object({
  ...PageQuery,
  profile_id: Type.Optional(Type.String({ maxLength: 100 })),
  profile_list_id: Type.Optional(Type.String({ maxLength: 100 })),
  status: Type.Optional(MembershipStatus),
  sort_field: Type.Optional(StringEnum(['created_at', 'updated_at'] as const)),
});

export const ImportProfilesBody = Type.Object({
  /** CSV text with a header row. */
  csv: Type.Optional(Type.String({ maxLength: 64 * 1024 * 1024 })),
  rows: Type.Optional(
    Type.Array(Type.Object({ email: Type.String({ maxLength: 320 }), fields: Type.Optional(MemberFields) }), {
      maxItems: 100_000,
    }),
  ),
  /** Header of the email column (default `email`). */
  email_column: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  /** CSV column → membership field key; without it every other column becomes a field. */
  field_mappings: Type.Optional(Type.Record(Type.String({ maxLength: 200 }), Type.String({ maxLength: 64 }))),
});

export const ImportReport = Type.Object({
  imported: Type.Integer(),
  created: Type.Integer(),
  skipped: Type.Integer(),
  /** `row` is the 1-based data row (the header is row 0). */
  errors: Type.Array(
    Type.Object({ row: Type.Integer(), reason: Type.String(), field: Type.Optional(Type.String()) }),
  ),
});
export type ImportReport = Static<typeof ImportReport>;

export const ListSubscribeBody = Type.Object({
  /** The caller's own profile (optional: the token names it). */
  profile_id: Type.Optional(Type.String({ maxLength: 100 })),
  /** Recorded on a profile without email (a confirmation list needs one). */
  email: Type.Optional(Email),
  price_id: Type.Optional(Type.String({ maxLength: 100 })),
  success_url: Type.Optional(Type.String({ maxLength: 2048 })),
  cancel_url: Type.Optional(Type.String({ maxLength: 2048 })),
  /** Storefront page receiving `?token=` for double opt-in (default: the server's confirm route). */
  confirm_url: Type.Optional(Type.String({ maxLength: 2048 })),
  locale: Type.Optional(Type.String({ maxLength: 10 })),
});
export const ListSubscribeResult = Type.Object({
  checkout_url: Nullable(Type.String()),
  membership: Membership,
});
export const AccessResult = Type.Object({ has_access: Type.Boolean(), membership: Nullable(Membership) });
export const TokenQuery = Type.Object({ token: Type.String({ minLength: 1, maxLength: 300 }) });
export const Confirmed = Type.Object({ confirmed: Type.Literal(true) });
export const Unsubscribed = Type.Object({ unsubscribed: Type.Literal(true) });

// Admin customer profiles (§10.6).

export const CreateProfileBody = Type.Object({
  email: Email,
  taxonomies: Type.Optional(Type.Array(Type.Unknown(), { maxItems: 200 })),
});
export const UpdateProfileBody = Type.Object({
  email: Type.Optional(Nullable(Email)),
  taxonomies: Type.Optional(Type.Array(Type.Unknown(), { maxItems: 200 })),
  status: Type.Optional(StringEnum(['active', 'archived'] as const)),
});
export const FindProfilesQuery = Type.Object({
  ...PageQuery,
  ids: Type.Optional(Type.Array(Type.String(), { maxItems: 100 })),
  /** Case-insensitive substring of the email. */
  query: Type.Optional(Type.String({ maxLength: 200 })),
  email: Type.Optional(Type.String({ maxLength: 320 })),
  status: Type.Optional(StringEnum(['active', 'archived'] as const)),
  sort_field: Type.Optional(StringEnum(['created_at', 'updated_at', 'email'] as const)),
});
export const ProfileParams = Type.Object({
  storeId: Type.String({ maxLength: 100 }),
  id: Type.String({ maxLength: 100 }),
});
export const ProfileSessionParams = Type.Object({
  storeId: Type.String({ maxLength: 100 }),
  id: Type.String({ maxLength: 100 }),
  tokenId: Type.String({ maxLength: 100 }),
});
export const MergeProfileBody = Type.Object({ source_id: Type.String({ minLength: 1, maxLength: 100 }) });
export const SessionsRevoked = Type.Object({ deleted: Type.Literal(true), revoked: Type.Integer() });

/** An admin's view of a profile: the profile with its carts, orders, submissions and memberships. */
export const AdminProfile = Type.Composite([
  Profile,
  Type.Object({
    carts: Type.Array(Cart),
    orders: Type.Array(Order),
    form_submissions: Type.Array(FormSubmission),
    memberships: Type.Array(Membership),
  }),
]);
export type AdminProfile = Static<typeof AdminProfile>;

// Email templates (preview).
export const EmailPreviewParams = Type.Object({
  storeId: Type.String({ maxLength: 100 }),
  template: Type.String({ maxLength: 64 }),
});
export const EmailPreviewQuery = Type.Object({ locale: Type.Optional(Type.String({ maxLength: 10 })) });
export const EmailPreview = Type.Object({
  template: Type.String(),
  locale: Type.String(),
  subject: Type.String(),
  html: Type.String(),
  text: Type.String(),
});

export type CreateProfileListBody = Static<typeof CreateProfileListBody>;
export type UpdateProfileListBody = Static<typeof UpdateProfileListBody>;
export type FindProfileListsQuery = Static<typeof FindProfileListsQuery>;
export type FindMembersQuery = Static<typeof FindMembersQuery>;
export type ImportProfilesBody = Static<typeof ImportProfilesBody>;
export type CreateProfileBody = Static<typeof CreateProfileBody>;
export type UpdateProfileBody = Static<typeof UpdateProfileBody>;
export type FindProfilesQuery = Static<typeof FindProfilesQuery>;
