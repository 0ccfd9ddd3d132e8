import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../server/test/helpers.ts';
import { OPERATION_IDS } from '../../server/src/lib/http/operation-ids.ts';
import { recordSdkOperations, type SdkOperation } from './sdk-operations.ts';
import { documentedRoute, documentedRoutes, operationTable } from './operation-ids.ts';

type Doc = { paths: Record<string, Record<string, { operationId?: string }>> };
let t: TestApp;
let doc: Doc;
let ops: SdkOperation[];

beforeAll(async () => {
  t = await createTestApp();
  doc = (await t.app.inject('/openapi.json')).json<Doc>();
  ops = await recordSdkOperations();
});
afterAll(async () => {
  await t.close();
});

describe('operationId = SDK method', () => {
  it('every SDK method reaches a documented route named after an SDK method calling it', () => {
    const routes = documentedRoutes(doc);
    const callers = new Map<string, string[]>();
    for (const op of ops) {
      const route = documentedRoute(op, routes);
      expect(route, `${op.name}: ${op.method} ${op.path} is not documented`).toBeDefined();
      callers.set(route!, [...(callers.get(route!) ?? []), op.name]);
    }
    for (const [route, names] of callers) {
      const [method, path] = route.split(' ') as [string, string];
      expect(names).toContain(doc.paths[path]![method.toLowerCase()]!.operationId);
    }
    expect(doc.paths['/v1/storefront/{storeId}/carts/{id}/checkout']?.post?.operationId).toBe(
      'storefront.eshop.cart.checkout',
    );
  });

  it('the generated table is current (`npm run generate:operation-ids`)', () => {
    expect(OPERATION_IDS).toEqual(operationTable(ops, documentedRoutes(doc)));
  });
});
