import { Type, type Static } from '@sinclair/typebox';
import { Nullable, StringEnum, Timestamp } from './common.ts';
import { MemberRole } from './roles.ts';

export const Email = Type.String({ format: 'email', maxLength: 254 });
export const Password = Type.String({ minLength: 8, maxLength: 256 });
export const AuthProvider = StringEnum(['EMAIL', 'GOOGLE', 'APPLE', 'GUEST'] as const);
/** A membership's role (CONTRACT §1.7 v1.1): built-in or a custom role id. */
export const Role = MemberRole;
export type Role = MemberRole;

export const AuthToken = Type.Object({
  id: Type.String(),
  access_token: Type.String(),
  refresh_token: Type.String(),
  access_expires_at: Timestamp,
  refresh_expires_at: Timestamp,
  created_at: Timestamp,
  is_verified: Type.Boolean(),
});
export type AuthToken = Static<typeof AuthToken>;

export const AccountToken = Type.Object({
  id: Type.String(),
  name: Nullable(Type.String()),
  type: Type.Literal('api'),
  created_at: Timestamp,
  expires_at: Nullable(Timestamp),
  last_used_at: Type.Optional(Nullable(Timestamp)),
  value: Type.Optional(Type.String({ description: 'The key itself: only in newly_created_tokens' })),
});
export type AccountToken = Static<typeof AccountToken>;

export const StoreMembership = Type.Object({
  store_id: Type.String(),
  role: Role,
  joined_at: Timestamp,
  invitation_token: Type.Null(),
});

export const AddressSchema = Type.Object({
  name: Type.String({ maxLength: 200 }),
  company: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  street1: Type.String({ maxLength: 200 }),
  street2: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  city: Type.String({ maxLength: 120 }),
  state: Type.String({ maxLength: 120 }),
  postal_code: Type.String({ maxLength: 32 }),
  country: Type.String({ minLength: 2, maxLength: 2 }),
  phone: Type.Optional(Nullable(Type.String({ maxLength: 40 }))),
  email: Type.Optional(Nullable(Type.String({ maxLength: 254 }))),
});
/** Carts and quotes accept partial addresses; checkout with a shipping method requires the full one. */
export const PartialAddress = Type.Partial(AddressSchema);

export const Account = Type.Object({
  id: Type.String(),
  email: Type.String(),
  first_name: Type.Optional(Nullable(Type.String())),
  last_name: Type.Optional(Nullable(Type.String())),
  phone: Type.Optional(Nullable(Type.String())),
  avatar: Type.Optional(Nullable(Type.String())),
  provider: AuthProvider,
  confirmed: Type.Boolean(),
  permissions: Type.Array(Type.String()),
  memberships: Type.Array(StoreMembership),
  api_tokens: Type.Array(AccountToken),
  phone_numbers: Type.Array(Type.String()),
  addresses: Type.Array(
    Type.Object({ label: Type.Optional(Nullable(Type.String())), address: PartialAddress }),
  ),
  lifecycle: Type.Object({ last_login_at: Nullable(Timestamp), onboarding_completed: Type.Boolean() }),
  created_at: Timestamp,
  updated_at: Timestamp,
});
export type Account = Static<typeof Account>;

export const RegisterBody = Type.Object({
  email: Email,
  password: Password,
  first_name: Type.Optional(Type.String({ maxLength: 100 })),
  last_name: Type.Optional(Type.String({ maxLength: 100 })),
});
export const LoginBody = Type.Object({
  email: Email,
  password: Type.String({ minLength: 1, maxLength: 256 }),
  provider: Type.Optional(StringEnum(['EMAIL'] as const)),
});
export const RefreshBody = Type.Object({ refresh_token: Type.String({ minLength: 1, maxLength: 4096 }) });
export const LogoutBody = Type.Object({ refresh_token: Type.Optional(Type.String({ maxLength: 4096 })) });
export const CodeBody = Type.Object({
  email: Email,
  store_id: Type.Optional(Type.String({ 'x-aliases': ['businessId'] })),
});
export const VerifyBody = Type.Object({ email: Email, code: Type.String({ pattern: '^[0-9]{6}$' }) });

export const UpdateAccountBody = Type.Object({
  first_name: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  last_name: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  phone: Type.Optional(Nullable(Type.String({ maxLength: 40 }))),
  avatar: Type.Optional(Nullable(Type.String({ maxLength: 2048 }))),
  phone_numbers: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 20 })),
  addresses: Type.Optional(
    Type.Array(Type.Object({ label: Type.Optional(Nullable(Type.String())), address: PartialAddress }), {
      maxItems: 50,
    }),
  ),
  api_tokens: Type.Optional(
    Nullable(
      Type.Array(
        Type.Object({
          id: Type.Optional(Nullable(Type.String())),
          name: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
          expires_at: Type.Optional(Nullable(Timestamp)),
        }),
        { maxItems: 100 },
      ),
    ),
  ),
});
export const UpdateAccountResult = Type.Object({
  success: Type.Literal(true),
  newly_created_tokens: Type.Array(AccountToken),
});

export const SearchAccountsQuery = Type.Object({
  store_id: Type.String({ 'x-aliases': ['storeId'] }),
  query: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(Type.String({ maxLength: 512 })),
  sort_field: Type.Optional(StringEnum(['created_at', 'email'] as const)),
  sort_direction: Type.Optional(StringEnum(['asc', 'desc'] as const)),
});

export const Sent = Type.Object({ sent: Type.Literal(true) });
export const LoggedOut = Type.Object({ logged_out: Type.Literal(true) });

export type RegisterBody = Static<typeof RegisterBody>;
export type LoginBody = Static<typeof LoginBody>;
export type CodeBody = Static<typeof CodeBody>;
export type VerifyBody = Static<typeof VerifyBody>;
export type UpdateAccountBody = Static<typeof UpdateAccountBody>;
export type UpdateAccountResult = Static<typeof UpdateAccountResult>;
export type SearchAccountsQuery = Static<typeof SearchAccountsQuery>;
