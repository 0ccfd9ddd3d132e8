import type {
  Integration,
  IntegrationConfig as IntegrationConfigSchema,
  IntegrationConfigParams,
  IntegrationProvider,
} from '@openarky/contract';
import type { Static } from '@sinclair/typebox';
import type { Result } from '../result.ts';
import type { Transport } from '../transport.ts';
import { path } from '../url.ts';
import type { Deleted, Disconnected, StoreParam } from '../params.ts';

export type { Integration };

/** `{ type, ...fields }` of CONTRACT §10.3; write-only fields are sent, never returned. */
export type IntegrationProviderInput = Static<typeof IntegrationProvider> & Record<string, unknown>;
/** The integration a store uses for one purpose (payment, shipping, analytics). */
export type IntegrationConfig = Static<typeof IntegrationConfigSchema>;
type ConfigType = Static<typeof IntegrationConfigParams>['type'];

/** Integration and OAuth methods of `sdk.store` (CONTRACT §10.3, §10.4). */
export function integrationMethods(t: Transport) {
  return {
    listIntegrations: (params: StoreParam = {}): Promise<Result<Integration[]>> => {
      const { storeId } = t.scope(params);
      return t.request({ method: 'GET', path: path`/v1/stores/${storeId}/integrations` });
    },
    createIntegration: (
      params: { key: string; provider: IntegrationProviderInput } & StoreParam,
    ): Promise<Result<Integration>> => {
      const { storeId, rest } = t.scope(params);
      return t.request({ method: 'POST', path: path`/v1/stores/${storeId}/integrations`, body: rest });
    },
    /** Same `type` merges (omitted secrets keep their value); another type replaces the provider. */
    updateIntegration: (
      params: { id: string; key?: string; provider?: IntegrationProviderInput } & StoreParam,
    ): Promise<Result<Integration>> => {
      const { storeId, rest } = t.scope(params);
      const { id, ...body } = rest;
      return t.request({ method: 'PUT', path: path`/v1/stores/${storeId}/integrations/${String(id)}`, body });
    },
    deleteIntegration: (params: { id: string } & StoreParam): Promise<Result<Deleted>> => {
      const { storeId } = t.scope(params);
      return t.request({ method: 'DELETE', path: path`/v1/stores/${storeId}/integrations/${params.id}` });
    },
    /** The active payment, shipping or analytics integration (404 `not_found` when none). */
    getIntegrationConfig: (params: { type: ConfigType } & StoreParam): Promise<Result<IntegrationConfig>> => {
      const { storeId } = t.scope(params);
      return t.request({
        method: 'GET',
        path: path`/v1/stores/${storeId}/integrations/config/${params.type}`,
      });
    },
    /** Exchanges an OAuth authorization code (provider `google`) and stores the tokens. */
    oauthConnect: (
      params: { provider: string; code: string; redirect_uri: string } & StoreParam,
    ): Promise<Result<Integration>> => {
      const { storeId, rest } = t.scope(params);
      return t.request({ method: 'POST', path: path`/v1/stores/${storeId}/oauth/connect`, body: rest });
    },
    /** Revokes and removes the provider's tokens, keeping the client credentials. */
    oauthDisconnect: (params: { provider: string } & StoreParam): Promise<Result<Disconnected>> => {
      const { storeId, rest } = t.scope(params);
      return t.request({ method: 'POST', path: path`/v1/stores/${storeId}/oauth/disconnect`, body: rest });
    },
  };
}
