import type { Block, CreateNodeBody, FindNodesQuery, Node, UpdateNodeBody } from '@openarky/contract';
import type { PageRequest, PaginationParams } from '../paginate.ts';
import type { Result } from '../result.ts';
import type { Transport } from '../transport.ts';
import { path } from '../url.ts';
import type { Deleted, StoreParam } from '../params.ts';

export type { Node, Block };

/** Which node to read (CONTRACT §1.2): `id`, or `key`, or `slug` in `locale` (default: the client's). */
export type NodeRef = StoreParam & { id?: string; key?: string; slug?: string; locale?: string };
export type NodeCreate = CreateNodeBody & StoreParam;
export type NodeUpdate = UpdateNodeBody & StoreParam & { id: string };
export type NodeFind = Partial<Omit<FindNodesQuery, 'cursor'>> & StoreParam & PaginationParams;
export type NodeChildren = StoreParam &
  PaginationParams & {
    id: string;
    sort_field?: 'created_at' | 'updated_at' | 'key';
    sort_direction?: 'asc' | 'desc';
    hydrate?: boolean;
  };

/** The path segment for a NodeRef: `id`, `storeId:key` or `storeId:locale:slug`. */
function segment(t: Transport, storeId: string, ref: NodeRef): string {
  if (ref.id) return ref.id;
  if (ref.key) return `${storeId}:${ref.key}`;
  if (ref.slug) return `${storeId}:${ref.locale ?? t.config.locale}:${ref.slug}`;
  return '';
}

function reads(t: Transport, prefix: '/v1/stores' | '/v1/storefront') {
  return {
    /** One node with its children; relationship refs hydrated unless `hydrate: false`. */
    get: (params: NodeRef & { hydrate?: boolean }): Promise<Result<Node>> => {
      const { storeId, rest } = t.scope(params);
      const id = segment(t, storeId, rest as NodeRef);
      return t.request({
        method: 'GET',
        path: `${prefix}/${encodeURIComponent(storeId)}/nodes/${encodeURIComponent(id)}`,
        query: { hydrate: params.hydrate },
      });
    },
    /** Nodes matching the filters (`parent_id: 'null'` for roots); `for await` walks every page. */
    find: (params: NodeFind = {}): PageRequest<Node> => {
      const { storeId, rest } = t.scope(params);
      return t.list<Node>(`${prefix}/${encodeURIComponent(storeId)}/nodes`, rest);
    },
    /** Direct children of node `id`, a page at a time. */
    getChildren: (params: NodeChildren): PageRequest<Node> => {
      const { storeId, rest } = t.scope(params);
      const { id, ...query } = rest;
      return t.list<Node>(
        `${prefix}/${encodeURIComponent(storeId)}/nodes/${encodeURIComponent(String(id ?? ''))}/children`,
        query,
      );
    },
  };
}

/** `sdk.cms.node` (CONTRACT §8.1): collections (nodes with a `schema`) and entries (their children). */
export function cmsNodeNamespace(t: Transport) {
  return {
    ...reads(t, '/v1/stores'),
    /** Creates a node; blocks may use the 0.9.x forms, they are stored canonically. */
    create: (params: NodeCreate): Promise<Result<Node>> => {
      const { storeId, rest } = t.scope(params);
      return t.request({ method: 'POST', path: path`/v1/stores/${storeId}/nodes`, body: rest });
    },
    /** Partial update of node `id`. */
    update: (params: NodeUpdate): Promise<Result<Node>> => {
      const { storeId, rest } = t.scope(params);
      const { id, ...body } = rest;
      return t.request({ method: 'PUT', path: path`/v1/stores/${storeId}/nodes/${id}`, body });
    },
    /** Deletes node `id`; a node with children answers 409 `in_use`. */
    delete: (params: StoreParam & { id: string }): Promise<Result<Deleted>> => {
      const { storeId } = t.scope(params);
      return t.request({ method: 'DELETE', path: path`/v1/stores/${storeId}/nodes/${params.id}` });
    },
  };
}

/** `sf.cms.node`: the same reads, active nodes only, no admin credentials needed. */
export function storefrontCmsNodeNamespace(t: Transport) {
  return reads(t, '/v1/storefront');
}

export type CmsNodeNamespace = ReturnType<typeof cmsNodeNamespace>;
export type StorefrontCmsNodeNamespace = ReturnType<typeof storefrontCmsNodeNamespace>;
