import type { Account, AccountToken } from '@openarky/contract';
import { fromJson } from '../../lib/json.ts';
import type { ApiKeyTable } from './identity.table.ts';
import type { AccountRow } from './account.repo.ts';
import type { MembershipTable } from '../tenancy/index.ts';

export function toAccountToken(row: ApiKeyTable, value?: string): AccountToken {
  return {
    id: row.id,
    name: row.name,
    type: 'api',
    created_at: row.created_at,
    expires_at: row.expires_at,
    last_used_at: row.last_used_at,
    ...(value ? { value } : {}),
  };
}

/** Account row + memberships + keys → the wire Account (seed 003 User ∪ 0.9.x Account). */
export function toAccount(
  row: AccountRow,
  memberships: MembershipTable[],
  keys: ApiKeyTable[],
  permissions: string[],
): Account {
  return {
    id: row.id,
    email: row.email,
    first_name: row.first_name,
    last_name: row.last_name,
    phone: row.phone,
    avatar: row.avatar,
    provider: row.provider,
    confirmed: row.confirmed === 1,
    permissions,
    memberships: memberships.map((m) => ({
      store_id: m.store_id,
      role: m.role as Account['memberships'][number]['role'],
      joined_at: m.joined_at,
      invitation_token: null,
    })),
    api_tokens: keys.map((k) => toAccountToken(k)),
    phone_numbers: fromJson(row.phone_numbers, []),
    addresses: fromJson(row.addresses, []),
    lifecycle: { last_login_at: row.last_login_at, onboarding_completed: memberships.length > 0 },
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}
