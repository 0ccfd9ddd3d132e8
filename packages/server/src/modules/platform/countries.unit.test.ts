import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../../test/helpers.ts';

const script = fileURLToPath(new URL('../../../scripts/generate-countries.js', import.meta.url));

describe('/v1/platform/countries', () => {
  it('serves the committed countries.json, which is exactly what the generator makes from country-state-city', async () => {
    // Exits 1 if the committed file differs from a fresh generation.
    execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' });
    const t = await createTestApp();
    try {
      const res = await t.app.inject({ url: '/v1/platform/countries' });
      expect(res.statusCode).toBe(200);
      const body = res.json() as { items?: unknown[] } | unknown[];
      const items = (Array.isArray(body) ? body : body.items) as {
        code: string;
        name: string;
        states: { code: string; name: string }[];
      }[];
      expect(items).toHaveLength(250);
      const us = items.find((c) => c.code === 'US')!;
      expect(us.name).toBe('United States');
      expect(us.states.find((s) => s.code === 'CA')).toEqual({ code: 'CA', name: 'California' });
      expect(items.map((c) => c.code)).toEqual([...items.map((c) => c.code)].sort());
    } finally {
      await t.close();
    }
  });
});
