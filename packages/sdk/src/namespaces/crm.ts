import type {
  AdminProfile,
  CreateProfileBody,
  CreateProfileListBody,
  FindMembersQuery,
  FindProfileListsQuery,
  FindProfilesQuery,
  ImportProfilesBody,
  ImportReport,
  Membership,
  MembershipStatus,
  Profile,
  ProfileList,
  ProfileListMember,
  UpdateProfileBody,
  UpdateProfileListBody,
} from '@openarky/contract';
import type { PageRequest, PaginationParams } from '../paginate.ts';
import type { Result } from '../result.ts';
import type { Transport } from '../transport.ts';
import { path } from '../url.ts';
import type { Deleted, StoreParam } from '../params.ts';

export type { AdminProfile, ImportReport, Membership, ProfileList, ProfileListMember };

type Paged<Q> = Partial<Omit<Q, 'cursor'>> & StoreParam & PaginationParams;
/** A list by `id`, or by `key` (sent as `storeId:key`). */
export type ProfileListRef = StoreParam & { id?: string; key?: string };
const listSegment = (storeId: string, ref: ProfileListRef) =>
  ref.id ? ref.id : `${storeId}:${ref.key ?? ''}`;

/** `sdk.crm.profile` (CONTRACT §10.6): customer profiles for admins. */
export function crmProfileNamespace(t: Transport) {
  return {
    create: (params: CreateProfileBody & StoreParam): Promise<Result<Profile>> => {
      const { storeId, rest } = t.scope(params);
      return t.request({ method: 'POST', path: path`/v1/stores/${storeId}/profiles`, body: rest });
    },
    /** The profile with its carts, orders, form submissions and memberships. */
    get: (params: StoreParam & { id: string }): Promise<Result<AdminProfile>> => {
      const { storeId } = t.scope(params);
      return t.request({ method: 'GET', path: path`/v1/stores/${storeId}/profiles/${params.id}` });
    },
    find: (params: Paged<FindProfilesQuery> = {}): PageRequest<Profile> => {
      const { storeId, rest } = t.scope(params);
      return t.list<Profile>(path`/v1/stores/${storeId}/profiles`, rest);
    },
    update: (params: UpdateProfileBody & StoreParam & { id: string }): Promise<Result<AdminProfile>> => {
      const { storeId, rest } = t.scope(params);
      const { id, ...body } = rest;
      return t.request({ method: 'PUT', path: path`/v1/stores/${storeId}/profiles/${String(id)}`, body });
    },
    /** Folds `source_id` into `id` (the target); the source is archived. */
    merge: (params: StoreParam & { id: string; source_id: string }): Promise<Result<AdminProfile>> => {
      const { storeId } = t.scope(params);
      return t.request({
        method: 'POST',
        path: path`/v1/stores/${storeId}/profiles/${params.id}/merge`,
        body: { source_id: params.source_id },
      });
    },
    /** Revokes one session (`token_id`) or all of them. */
    revokeSessions: (
      params: StoreParam & { id: string; token_id?: string },
    ): Promise<Result<{ deleted: true; revoked: number }>> => {
      const { storeId } = t.scope(params);
      const p = params.token_id
        ? path`/v1/stores/${storeId}/profiles/${params.id}/sessions/${params.token_id}`
        : path`/v1/stores/${storeId}/profiles/${params.id}/sessions`;
      return t.request({ method: 'DELETE', path: p });
    },
  };
}

type MemberParams = StoreParam & {
  list_id?: string;
  listId?: string;
  profile_id?: string;
  profileId?: string;
};
const ids = (p: MemberParams) => ({
  list: p.list_id ?? p.listId ?? '',
  profile: p.profile_id ?? p.profileId ?? '',
});

/** `sdk.crm.profileList` (CONTRACT §10.6): audiences, their members and CSV import. */
export function crmProfileListNamespace(t: Transport) {
  const members = {
    add: (
      params: MemberParams & { fields?: Record<string, unknown>; lead_description?: string | null },
    ): Promise<Result<ProfileListMember>> => {
      const { storeId } = t.scope(params);
      const { list, profile } = ids(params);
      const body = {
        ...(params.fields ? { fields: params.fields } : {}),
        ...(params.lead_description !== undefined ? { lead_description: params.lead_description } : {}),
      };
      return t.request({
        method: 'POST',
        path: path`/v1/stores/${storeId}/profile-lists/${list}/members/${profile}`,
        body,
      });
    },
    update: (
      params: MemberParams & {
        status?: MembershipStatus;
        fields?: Record<string, unknown>;
        lead_description?: string | null;
      },
    ): Promise<Result<ProfileListMember>> => {
      const { storeId } = t.scope(params);
      const { list, profile } = ids(params);
      const body = {
        ...(params.status ? { status: params.status } : {}),
        ...(params.fields ? { fields: params.fields } : {}),
        ...(params.lead_description !== undefined ? { lead_description: params.lead_description } : {}),
      };
      return t.request({
        method: 'PATCH',
        path: path`/v1/stores/${storeId}/profile-lists/${list}/members/${profile}`,
        body,
      });
    },
    remove: (params: MemberParams): Promise<Result<Deleted>> => {
      const { storeId } = t.scope(params);
      const { list, profile } = ids(params);
      return t.request({
        method: 'DELETE',
        path: path`/v1/stores/${storeId}/profile-lists/${list}/members/${profile}`,
      });
    },
    /** Members of one list (`list_id`), or memberships across lists without it. */
    find: (
      params: Paged<FindMembersQuery> & { list_id?: string; listId?: string } = {},
    ): PageRequest<ProfileListMember> => {
      const { storeId, rest } = t.scope(params);
      const { list_id, listId, ...query } = rest;
      const list = (list_id ?? listId) as string | undefined;
      return list
        ? t.list<ProfileListMember>(path`/v1/stores/${storeId}/profile-lists/${list}/members`, query)
        : t.list<ProfileListMember>(path`/v1/stores/${storeId}/profile-list-members`, query);
    },
  };
  return {
    create: (params: CreateProfileListBody & StoreParam): Promise<Result<ProfileList>> => {
      const { storeId, rest } = t.scope(params);
      return t.request({ method: 'POST', path: path`/v1/stores/${storeId}/profile-lists`, body: rest });
    },
    update: (params: UpdateProfileListBody & StoreParam & { id: string }): Promise<Result<ProfileList>> => {
      const { storeId, rest } = t.scope(params);
      const { id, ...body } = rest;
      return t.request({
        method: 'PUT',
        path: path`/v1/stores/${storeId}/profile-lists/${String(id)}`,
        body,
      });
    },
    get: (params: ProfileListRef): Promise<Result<ProfileList>> => {
      const { storeId } = t.scope(params);
      return t.request({
        method: 'GET',
        path: path`/v1/stores/${storeId}/profile-lists/${listSegment(storeId, params)}`,
      });
    },
    find: (params: Paged<FindProfileListsQuery> = {}): PageRequest<ProfileList> => {
      const { storeId, rest } = t.scope(params);
      return t.list<ProfileList>(path`/v1/stores/${storeId}/profile-lists`, rest);
    },
    delete: (params: StoreParam & { id: string }): Promise<Result<Deleted>> => {
      const { storeId } = t.scope(params);
      return t.request({ method: 'DELETE', path: path`/v1/stores/${storeId}/profile-lists/${params.id}` });
    },
    /** CSV (header row first) or `rows`; answers the per-row report. */
    importProfiles: (
      params: ImportProfilesBody & StoreParam & { list_id?: string; listId?: string; id?: string },
    ): Promise<Result<ImportReport>> => {
      const { storeId, rest } = t.scope(params);
      const { list_id, listId, id, ...body } = rest;
      const list = String(list_id ?? listId ?? id ?? '');
      return t.request({
        method: 'POST',
        path: path`/v1/stores/${storeId}/profile-lists/${list}/profiles/import`,
        body,
      });
    },
    members,
  };
}

/** `sf.crm.profileList`: active lists, subscribe, access check, confirm and unsubscribe links. */
export function storefrontProfileListNamespace(t: Transport) {
  return {
    get: (params: ProfileListRef): Promise<Result<ProfileList>> => {
      const { storeId } = t.scope(params);
      return t.request({
        method: 'GET',
        path: path`/v1/storefront/${storeId}/profile-lists/${listSegment(storeId, params)}`,
      });
    },
    find: (params: Paged<FindProfileListsQuery> = {}): PageRequest<ProfileList> => {
      const { storeId, rest } = t.scope(params);
      return t.list<ProfileList>(path`/v1/storefront/${storeId}/profile-lists`, rest);
    },
    /** Subscribes the caller's profile; paid lists answer a `checkout_url`. */
    subscribe: (
      params: ProfileListRef & {
        profile_id?: string;
        email?: string;
        price_id?: string;
        success_url?: string;
        cancel_url?: string;
        confirm_url?: string;
        locale?: string;
      },
    ): Promise<Result<{ checkout_url: string | null; membership: Membership }>> => {
      const { storeId, rest } = t.scope(params);
      const { id, key, ...body } = rest;
      void id;
      void key;
      return t.request({
        method: 'POST',
        path: path`/v1/storefront/${storeId}/profile-lists/${listSegment(storeId, params)}/subscribe`,
        body,
      });
    },
    checkAccess: (
      params: ProfileListRef,
    ): Promise<Result<{ has_access: boolean; membership: Membership | null }>> => {
      const { storeId } = t.scope(params);
      return t.request({
        method: 'GET',
        path: path`/v1/storefront/${storeId}/profile-lists/${listSegment(storeId, params)}/access`,
      });
    },
    confirm: (params: StoreParam & { token: string }): Promise<Result<{ confirmed: true }>> => {
      const { storeId } = t.scope(params);
      return t.request({
        method: 'GET',
        path: path`/v1/storefront/${storeId}/profile-lists/confirm`,
        query: { token: params.token },
      });
    },
    unsubscribe: (params: StoreParam & { token: string }): Promise<Result<{ unsubscribed: true }>> => {
      const { storeId } = t.scope(params);
      return t.request({
        method: 'GET',
        path: path`/v1/storefront/${storeId}/profile-lists/unsubscribe`,
        query: { token: params.token },
      });
    },
  };
}

export type CrmProfileNamespace = ReturnType<typeof crmProfileNamespace>;
export type CrmProfileListNamespace = ReturnType<typeof crmProfileListNamespace>;
export type StorefrontProfileListNamespace = ReturnType<typeof storefrontProfileListNamespace>;
