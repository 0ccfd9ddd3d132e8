import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newId, timeOrderedIds } from './ids.ts';

describe('ids', () => {
  it('ids made in sequence sort in sequence, whatever the clock does', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 4_102_444_800_000 }), { minLength: 2, maxLength: 200 }),
        (times) => {
          let i = 0;
          const next = timeOrderedIds(() => times[i++] ?? 0);
          const ids = times.map(() => next());
          for (const id of ids) expect(id).toMatch(/^[0-9a-z]{20}$/);
          for (let k = 1; k < ids.length; k++) expect((ids[k - 1] ?? '') < (ids[k] ?? '')).toBe(true);
        },
      ),
    );
  });

  it('newId keeps the id shape and sorts by creation, also within one millisecond', () => {
    const ids = Array.from({ length: 2_000 }, () => newId('ref'));
    for (const id of ids) expect(id).toMatch(/^ref_[A-Za-z0-9]{20}$/);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
