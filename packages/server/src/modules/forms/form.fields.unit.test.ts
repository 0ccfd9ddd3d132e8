import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FormSchemaField } from '@openarky/contract';
import { checkFormSchema, checkValue, validateSubmission } from './form.fields.ts';

let n = 0;
const id = () => `fld_${n++}`;

describe('checkValue (table)', () => {
  const cases: [Partial<FormSchemaField> & Pick<FormSchemaField, 'type'>, unknown, string | null][] = [
    [{ type: 'text' }, 'hello', null],
    [{ type: 'text' }, 42, 'type'],
    [{ type: 'text', min: 3 }, 'ab', 'min_length'],
    [{ type: 'text', max: 3 }, 'abcd', 'max_length'],
    [{ type: 'text', max: 3 }, '😀😀😀', null],
    [{ type: 'text' }, 'a\0b', 'invalid_value'],
    [{ type: 'text', variant: 'email' }, 'x@y.io', null],
    [{ type: 'text', variant: 'email' }, 'x@y', 'format'],
    [{ type: 'text', variant: 'url' }, 'ftp://x', 'format'],
    [{ type: 'number', min: 0, max: 5 }, 5, null],
    [{ type: 'number', min: 0, max: 5 }, 5.01, 'max'],
    [{ type: 'number' }, Number.NaN, 'type'],
    [{ type: 'number' }, '1', 'type'],
    [{ type: 'boolean' }, false, null],
    [{ type: 'boolean' }, 0, 'type'],
    [{ type: 'date' }, 1_700_000_000, null],
    [{ type: 'date' }, 1.5, 'type'],
    [{ type: 'date' }, 2 ** 32, 'type'],
    [{ type: 'geo_location' }, { coordinates: null }, null],
    [{ type: 'geo_location' }, { coordinates: { lat: 0, lon: 181 } }, 'out_of_range'],
    [{ type: 'geo_location' }, [1, 2], 'type'],
    [{ type: 'select', options: ['a', { value: 'b' }] }, 'b', null],
    [{ type: 'select', options: ['a'] }, 'A', 'invalid_option'],
    [{ type: 'select', options: ['a'] }, ['a'], 'type'],
  ];
  it.each(cases)('%j with %j → %s', (field, value, reason) => {
    expect(checkValue({ id: 'f', key: 'k', ...field }, value)?.reason ?? null).toBe(reason);
  });
});

describe('properties', () => {
  it('a number is accepted exactly when it lies within [min, max]', () => {
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        (a, b, v) => {
          const [min, max] = a <= b ? [a, b] : [b, a];
          const ok = checkValue({ id: 'f', key: 'n', type: 'number', min, max }, v) === null;
          expect(ok).toBe(v >= min && v <= max);
        },
      ),
    );
  });

  it('a select accepts exactly its options', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 6 }),
        fc.string({ maxLength: 8 }),
        (options, v) => {
          const ok = checkValue({ id: 'f', key: 's', type: 'select', options }, v) === null;
          expect(ok).toBe(options.includes(v));
        },
      ),
    );
  });

  it('every error of a submission names a field path, and a valid one is stored in schema order', () => {
    const { schema } = checkFormSchema(
      [
        { key: 'a', type: 'text', required: true },
        { key: 'b', type: 'number', min: 0, max: 10 },
        { key: 'c', type: 'select', options: ['x', 'y'] },
      ],
      id,
    );
    const value = fc.oneof(
      fc.string({ maxLength: 5 }),
      fc.integer({ min: -5, max: 15 }),
      fc.boolean(),
      fc.constant(null),
      fc.constantFrom('x', 'y'),
    );
    const field = fc.record({ key: fc.constantFrom('a', 'b', 'c', 'zz'), value });
    fc.assert(
      fc.property(fc.array(field, { maxLength: 5 }), (submitted) => {
        const { fields, errors } = validateSubmission(schema, submitted);
        for (const e of errors) expect(e.field).toMatch(/^fields(\.\d+\.value)?$/);
        if (!errors.length) {
          expect(fields.map((f) => f.key)).toEqual(
            ['a', 'b', 'c'].filter((k) => submitted.some((s) => s.key === k)),
          );
          expect(fields.find((f) => f.key === 'a')?.value).toEqual(expect.any(String));
        }
      }),
    );
  });
});
