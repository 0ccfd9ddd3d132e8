import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_NAMES, LATER_EVENTS, WEBHOOK_EVENTS, type EventName } from '@openarky/contract';
import { createTestApp, type TestApp } from './helpers.ts';
import { call } from './fixtures.ts';

/**
 * Names of the map that no module emits yet (empty: every feature of the map has landed). A name
 * may sit here only while the branch that emits it is being built.
 */
const NOT_YET_EMITTED: Partial<Record<EventName, string>> = {};

const SRC = join(import.meta.dirname, '../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Event names passed literally to `emit(ctx, '<name>', …)` or to an order-machine `announce('<name>')`. */
function emittedNames(): Set<string> {
  const found = new Set<string>();
  const call = /(?:\bemit\([^;']{0,80}?|\bannounce\()'([a-z_]+\.[a-z_]+)'/g;
  for (const file of sourceFiles(SRC)) {
    for (const m of readFileSync(file, 'utf8').matchAll(call)) found.add(m[1]!);
  }
  return found;
}

describe('event map', () => {
  it('every name of the contract map is emitted somewhere (or is listed as being built elsewhere)', () => {
    const emitted = emittedNames();
    const missing = EVENT_NAMES.filter((name) => !emitted.has(name) && !NOT_YET_EMITTED[name]);
    expect(missing).toEqual([]);
    // A name that is emitted now must leave the allowlist.
    expect(Object.keys(NOT_YET_EMITTED).filter((name) => emitted.has(name))).toEqual([]);
    // Nothing is emitted outside the map (the compiler enforces it; this catches casts).
    expect([...emitted].filter((name) => !(EVENT_NAMES as string[]).includes(name))).toEqual([]);
  });

  it('the webhook catalogue is the map plus the later names, in that order', () => {
    expect(WEBHOOK_EVENTS).toEqual([...EVENT_NAMES, ...LATER_EVENTS]);
    expect(new Set(WEBHOOK_EVENTS).size).toBe(WEBHOOK_EVENTS.length);
  });

  describe('served from the same map', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp();
    });
    afterAll(async () => t?.close());

    it('GET /v1/platform/events and the OpenAPI webhooks section list every name', async () => {
      const res = await call(t.app, null, { url: '/v1/platform/events' });
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual([...WEBHOOK_EVENTS]);
      const doc = (await call(t.app, null, { url: '/openapi.json' })).body as {
        webhooks: Record<
          string,
          {
            post: {
              requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown> } }> };
            };
          }
        >;
      };
      expect(Object.keys(doc.webhooks)).toEqual([...WEBHOOK_EVENTS]);
      const body = doc.webhooks['product.created']!.post.requestBody!.content['application/json']!.schema;
      expect(Object.keys(body.properties)).toEqual(['id', 'event', 'store_id', 'created_at', 'data']);
      // The payload is the shared Product component (`$ref`), which carries the variants.
      const data = body.properties.data as { $ref?: string };
      const component = data.$ref?.replace('#/components/schemas/', '');
      const schemas = (doc as unknown as { components: { schemas: Record<string, unknown> } }).components
        .schemas;
      expect(JSON.stringify(component ? schemas[component] : data)).toContain('variants');
    });
  });
});
