import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { Kind } from '@sinclair/typebox';
import * as contract from '@openarky/contract';
import { ERROR_CODES } from '@openarky/contract';
import type { Config } from '../../config.ts';
import { webhookDocs } from './webhook-docs.ts';
import { OPERATION_IDS } from './operation-ids.ts';
import { ENTITY_EXAMPLES } from './openapi-examples.ts';

type Json = Record<string, unknown>;

/**
 * The `operationId` of a route: the SDK method that calls it (`eshop.product.create`,
 * `storefront.eshop.cart.checkout`: the table `operation-ids.ts`, generated from the SDK), or for a
 * route no SDK method calls, `http.` + method + its path (`http.postStoresByStoreIdPaymentsStripeWebhook`).
 */
export function operationIdOf(method: string, openapiPath: string): string {
  const known = OPERATION_IDS[`${method.toUpperCase()} ${openapiPath}`];
  if (known) return known;
  const words = openapiPath
    .split('/')
    .filter((s) => s && s !== 'v1')
    .map((s) => {
      const param = /^\{(.+)\}$/.exec(s)?.[1];
      const pascal = (param ?? s)
        .split(/[^A-Za-z0-9]+/)
        .filter(Boolean)
        .map((w) => w[0]!.toUpperCase() + w.slice(1))
        .join('');
      return param ? `By${pascal}` : pascal;
    });
  return `http.${method.toLowerCase()}${words.join('')}`;
}

/** Fastify's `/a/:id` as OpenAPI's `/a/{id}`. */
export const openapiPath = (url: string): string => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

const STATUS_TEXT: Record<string, string> = {
  '200': 'OK',
  '201': 'Created',
  '202': 'Accepted',
  '204': 'No content',
  '302': 'Redirect',
  '4xx': 'Refused: an `ApiError` naming its code (bad input adds `details.field`)',
  '5xx': 'Server error: an `ApiError` with the request id to quote',
};

/**
 * Serves `/openapi.json` (compressed like every JSON answer) and the reference page at `/docs`.
 * The document is built on first request: shared contract schemas become `components` (`$ref`),
 * the main entities carry examples, and each response is described.
 */
export async function installOpenApi(app: FastifyInstance, config: Config): Promise<void> {
  const named = namedContractSchemas();
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'OpenArky API',
        version: '1.0.0',
        description:
          'Self-hostable commerce, booking and content API. Errors are `ApiError` bodies; codes: ' +
          `${ERROR_CODES.join(', ')}. Each operation's \`operationId\` is the name of the SDK ` +
          '(`@openarky/sdk`) method that calls it; routes without one are named `http.<method><Path>`.',
      },
      servers: [{ url: config.publicUrl }],
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description: 'Account access JWT, API key (ak_…) or profile token (pt_…)',
          },
          apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        },
        schemas: { ...named },
      },
      security: [{ bearer: [] }, { apiKey: [] }],
      webhooks: webhookDocs(),
    },
    transform: ({ schema, url, route }) => {
      const method = Array.isArray(route.method) ? route.method[0]! : route.method;
      const operationId = operationIdOf(method, openapiPath(url));
      return { schema: { ...schema, operationId } as typeof schema, url };
    },
    transformObject: (document) =>
      shareComponents(
        ('openapiObject' in document ? document.openapiObject : document.swaggerObject) as Json,
        named,
      ),
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { docExpansion: 'list', deepLinking: true },
    theme: {
      title: 'OpenArky API',
      favicon: [{ filename: 'favicon.svg', rel: 'icon', type: 'image/svg+xml', sizes: 'any', content: LOGO }],
    },
    logo: { type: 'image/svg+xml', content: LOGO, href: '/docs' },
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}

const LOGO = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" width="180" height="40" viewBox="0 0 180 40">' +
    '<rect x="2" y="4" width="32" height="32" rx="8" fill="#1c7ed6"/>' +
    '<path d="M10 28 18 11l8 17M13 22h10" stroke="#fff" stroke-width="3" fill="none" stroke-linecap="round"/>' +
    '<text x="44" y="28" font-family="system-ui,sans-serif" font-size="20" font-weight="700" fill="#fff">OpenArky API</text>' +
    '</svg>',
);

/** Exported contract schemas worth sharing (objects and unions, not one-liners), by export name. */
function namedContractSchemas(): Record<string, Json> {
  const out: Record<string, Json> = {};
  const seen = new Set<unknown>();
  for (const [name, value] of Object.entries(contract)) {
    if (!value || typeof value !== 'object' || !(Kind in value) || seen.has(value)) continue;
    const schema = value as Json;
    if (schema.type !== 'object' && !schema.anyOf) continue;
    if (JSON.stringify(schema).length < 160) continue;
    seen.add(value);
    out[name] = JSON.parse(JSON.stringify(schema)) as Json;
  }
  return out;
}

/**
 * Replaces every inline copy of a component by a `$ref` (largest match first), drops components
 * nothing refers to, adds the entities' examples and describes the responses.
 */
function shareComponents(doc: Json, raw: Record<string, Json>): Json {
  const components = (doc.components as { schemas: Record<string, Json> }).schemas;
  const byShape = new Map<string, string>();
  const shapeOf = ({ $id: _id, title: _title, ...shape }: Json) => JSON.stringify(shape);
  for (const [name, schema] of Object.entries(components)) {
    const key = shapeOf(schema);
    if (byShape.has(key)) delete components[name];
    else byShape.set(key, name);
  }
  // The webhooks section is plain JSON Schema, not converted by @fastify/swagger: match it too.
  for (const [name, schema] of Object.entries(raw))
    if (components[name] && !byShape.has(shapeOf(schema))) byShape.set(shapeOf(schema), name);
  const share = (node: unknown, root: boolean): unknown => {
    if (Array.isArray(node)) return node.map((n) => share(n, false));
    if (!node || typeof node !== 'object') return node;
    if (!root) {
      const name = byShape.get(shapeOf(node as Json));
      if (name) return { $ref: `#/components/schemas/${name}` };
    }
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, share(v, false)]));
  };
  for (const [name, schema] of Object.entries(components)) components[name] = share(schema, true) as Json;
  for (const section of ['paths', 'webhooks'] as const) {
    for (const item of Object.values((doc[section] ?? {}) as Record<string, Json>)) {
      for (const op of Object.values(item) as Json[]) {
        const body = (op.requestBody as Json | undefined)?.content as Record<string, Json> | undefined;
        for (const media of Object.values(body ?? {})) media.schema = share(media.schema, false);
        for (const response of Object.values((op.responses ?? {}) as Record<string, Json>)) {
          const content = response.content as Record<string, Json> | undefined;
          for (const media of Object.values(content ?? {})) media.schema = share(media.schema, false);
        }
      }
    }
  }
  sharePages(doc, components);
  for (const section of ['paths', 'webhooks'] as const)
    for (const item of Object.values((doc[section] ?? {}) as Record<string, Json>))
      for (const op of Object.values(item) as Json[])
        for (const [status, response] of Object.entries((op.responses ?? {}) as Record<string, Json>))
          if (!response.description || response.description === 'Default Response')
            response.description = describe(status, response.content as Record<string, Json> | undefined);
  dropUnused(doc, components);
  shareParameters(doc);
  shareErrorResponses(doc);
  for (const [name, example] of Object.entries(ENTITY_EXAMPLES))
    if (components[name]) components[name] = { ...components[name], examples: [example] };
  return doc;
}

function describe(status: string, content: Record<string, Json> | undefined): string {
  const text = STATUS_TEXT[status.toLowerCase()] ?? `HTTP ${status}`;
  const ref = (Object.values(content ?? {})[0]?.schema as Json | undefined)?.$ref;
  return typeof ref === 'string' && !/xx$/i.test(status) ? `${text}: ${ref.split('/').pop()}` : text;
}

const operationsOf = (doc: Json): Json[] =>
  Object.values((doc.paths ?? {}) as Record<string, Json>).flatMap((item) => Object.values(item) as Json[]);

/**
 * Every parameter used by two operations or more (`storeId`, pagination, date and sort filters)
 * becomes one `components.parameters` entry, named `<in>.<name>` (`path.storeId`, `query.limit`);
 * a name declared with differing schemas gets one entry a variant, the most used first, then
 * `.2`, `.3`… Operations refer to them by `$ref`.
 */
function shareParameters(doc: Json): void {
  const uses = new Map<string, { param: Json; count: number }>();
  for (const op of operationsOf(doc))
    for (const param of (op.parameters ?? []) as Json[]) {
      const key = JSON.stringify(param);
      const use = uses.get(key) ?? { param, count: 0 };
      use.count++;
      uses.set(key, use);
    }
  const shared = [...uses.entries()].filter(([, use]) => use.count > 1);
  shared.sort(([, a], [, b]) => b.count - a.count);
  const parameters: Record<string, Json> = {};
  const refOf = new Map<string, string>();
  for (const [key, { param }] of shared) {
    const base = `${String(param.in)}.${String(param.name)}`;
    let name = base;
    for (let n = 2; parameters[name]; n++) name = `${base}.${n}`;
    parameters[name] = param;
    refOf.set(key, `#/components/parameters/${name}`);
  }
  for (const op of operationsOf(doc))
    if (op.parameters)
      op.parameters = (op.parameters as Json[]).map((param) => {
        const ref = refOf.get(JSON.stringify(param));
        return ref ? { $ref: ref } : param;
      });
  (doc.components as Json).parameters = Object.fromEntries(
    Object.entries(parameters).sort(([a], [b]) => a.localeCompare(b)),
  );
}

/**
 * A cursor page of a component (the contract's `Page(Product)`: `items`, `cursor`, `has_more`)
 * answered by an operation becomes the component `<Name>Page` (`ProductPage`).
 */
function sharePages(doc: Json, components: Record<string, Json>): void {
  for (const op of operationsOf(doc))
    for (const response of Object.values((op.responses ?? {}) as Record<string, Json>))
      for (const media of Object.values((response.content ?? {}) as Record<string, Json>)) {
        const schema = media.schema as Json | undefined;
        const props = schema?.properties as Record<string, Json> | undefined;
        const ref = (props?.items?.items as Json | undefined)?.$ref;
        if (typeof ref !== 'string' || Object.keys(props!).sort().join() !== 'cursor,has_more,items')
          continue;
        const name = `${ref.split('/').pop()!}Page`;
        components[name] ??= schema!;
        if (JSON.stringify(components[name]) === JSON.stringify(schema))
          media.schema = { $ref: `#/components/schemas/${name}` };
      }
}

/** The `4XX` and `5XX` answers every operation shares (an `ApiError`) as `components.responses`. */
function shareErrorResponses(doc: Json): void {
  const responses: Record<string, Json> = {};
  for (const op of operationsOf(doc)) {
    const answers = (op.responses ?? {}) as Record<string, Json>;
    for (const [status, name] of [
      ['4XX', 'ClientError'],
      ['5XX', 'ServerError'],
    ] as const) {
      if (!answers[status]) continue;
      const known = responses[name];
      if (known && JSON.stringify(known) !== JSON.stringify(answers[status])) continue;
      responses[name] = answers[status];
      answers[status] = { $ref: `#/components/responses/${name}` };
    }
  }
  (doc.components as Json).responses = responses;
}

/** Keeps only the components reachable from operations and webhooks. */
function dropUnused(doc: Json, components: Record<string, Json>): void {
  const used = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith('#/components/schemas/')) {
        const name = v.slice('#/components/schemas/'.length);
        if (!used.has(name)) {
          used.add(name);
          visit(components[name]);
        }
      } else visit(v);
    }
  };
  visit(doc.paths);
  visit(doc.webhooks);
  for (const name of Object.keys(components)) if (!used.has(name)) delete components[name];
}
