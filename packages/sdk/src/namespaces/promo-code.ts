import type {
  CreatePromoCodeBody,
  ListPromoCodesQuery,
  PromoCode,
  UpdatePromoCodeBody,
} from '@openarky/contract';
import type { PageRequest } from '../paginate.ts';
import type { Result } from '../result.ts';
import type { Transport } from '../transport.ts';
import { path } from '../url.ts';
import type { Deleted, StoreParam } from '../params.ts';

export type { PromoCode };
export type PromoCodeRef = StoreParam & { id: string };

/** `sdk.eshop.promoCode`, also `sdk.promoCode` (CONTRACT §6.8). */
export function promoCodeNamespace(t: Transport) {
  return {
    createPromoCode: (params: CreatePromoCodeBody & StoreParam): Promise<Result<PromoCode>> => {
      const { storeId, rest } = t.scope(params);
      return t.request({ method: 'POST', path: path`/v1/stores/${storeId}/promo-codes`, body: rest });
    },
    updatePromoCode: (params: UpdatePromoCodeBody & PromoCodeRef): Promise<Result<PromoCode>> => {
      const { storeId, rest } = t.scope(params);
      const { id, ...body } = rest;
      return t.request({ method: 'PUT', path: path`/v1/stores/${storeId}/promo-codes/${id}`, body });
    },
    deletePromoCode: (params: PromoCodeRef): Promise<Result<Deleted>> => {
      const { storeId, rest } = t.scope(params);
      return t.request({ method: 'DELETE', path: path`/v1/stores/${storeId}/promo-codes/${rest.id}` });
    },
    getPromoCode: (params: PromoCodeRef): Promise<Result<PromoCode>> => {
      const { storeId, rest } = t.scope(params);
      return t.request({ method: 'GET', path: path`/v1/stores/${storeId}/promo-codes/${rest.id}` });
    },
    getPromoCodes: (params: StoreParam & Partial<ListPromoCodesQuery> = {}): PageRequest<PromoCode> => {
      const { storeId, rest } = t.scope(params);
      return t.list<PromoCode>(path`/v1/stores/${storeId}/promo-codes`, rest);
    },
  };
}
