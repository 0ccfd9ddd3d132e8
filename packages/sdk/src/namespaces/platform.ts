import type { Country, IntegrationService } from '@openarky/contract';
import type { PageRequest } from '../paginate.ts';
import type { Result } from '../result.ts';
import type { Transport } from '../transport.ts';
import { path } from '../url.ts';

export type { Country, IntegrationService };

/** Public read-only catalogues: `sdk.platform` (CONTRACT §10.5). */
export function platformNamespace(t: Transport) {
  return {
    /** ISO 4217 codes the server knows. */
    getCurrencies: (): Promise<Result<string[]>> =>
      t.request({ method: 'GET', path: '/v1/platform/currencies' }),
    /** Every country with its states (one page). */
    getCountries: (): PageRequest<Country> => t.list<Country>('/v1/platform/countries'),
    /** One country by ISO 3166-1 alpha-2 code, any case. */
    getCountry: (params: { code: string }): Promise<Result<Country>> =>
      t.request({ method: 'GET', path: path`/v1/platform/countries/${params.code}` }),
    /** The webhook event catalogue. */
    getWebhookEvents: (): Promise<Result<{ data: string[] }>> =>
      t.request({ method: 'GET', path: '/v1/platform/events' }),
    /** Integration types with their resources and triggers. */
    getIntegrationServices: (): Promise<Result<IntegrationService[]>> =>
      t.request({ method: 'GET', path: '/v1/platform/integration-services' }),
  };
}

/** `sdk.platform`. */
export type PlatformNamespace = ReturnType<typeof platformNamespace>;
