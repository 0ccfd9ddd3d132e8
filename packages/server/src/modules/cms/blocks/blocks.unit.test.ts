import { describe, expect, it } from 'vitest';
import {
  checkBlocks,
  collectRefs,
  dehydrate,
  hydrateBlocks,
  localize,
  normalizeBlocks,
  searchText,
  validateBlocks,
  type Block,
} from './index.ts';

let n = 0;
const ids = () => `blk_${++n}`;
const norm = (input: unknown) => {
  n = 0;
  return normalizeBlocks(input, ids);
};

describe('normalizeBlocks: 0.9.x and seed 002 forms → canonical', () => {
  const cases: [string, unknown, unknown][] = [
    [
      'null value → []',
      { id: 'a', key: 't', type: 'text', value: null },
      { id: 'a', key: 't', type: 'text', properties: {}, value: [] },
    ],
    [
      'scalar → [scalar]',
      { id: 'a', key: 'n', type: 'number', value: 42 },
      { id: 'a', key: 'n', type: 'number', properties: {}, value: [42] },
    ],
    [
      '002 UPPER type',
      { id: 'a', key: 't', type: 'TEXT', value: ['x'] },
      { id: 'a', key: 't', type: 'text', properties: {}, value: ['x'] },
    ],
    [
      'localized_text → text',
      { id: 'a', key: 't', type: 'localized_text', value: { en: 'Hi' } },
      { id: 'a', key: 't', type: 'text', properties: {}, value: [{ en: 'Hi' }] },
    ],
    [
      'relationship_media → relationship target media',
      { id: 'a', key: 'img', type: 'relationship_media', value: 'media:med_1' },
      { id: 'a', key: 'img', type: 'relationship', properties: { target: 'media' }, value: ['media:med_1'] },
    ],
    [
      'relationship_entry + node: → entry:',
      { id: 'a', key: 'r', type: 'relationship_entry', value: ['node:node_1'] },
      { id: 'a', key: 'r', type: 'relationship', properties: { target: 'entry' }, value: ['entry:node_1'] },
    ],
    [
      'hydrated objects dehydrated',
      {
        id: 'a',
        key: 'r',
        type: 'RELATIONSHIP',
        value: [
          { id: 'med_9', mime_type: 'image/png' },
          { id: 'node_8', key: 'x' },
        ],
      },
      { id: 'a', key: 'r', type: 'relationship', properties: {}, value: ['media:med_9', 'entry:node_8'] },
    ],
    [
      'minLength/maxLength and EMAIL variant',
      {
        id: 'a',
        key: 'e',
        type: 'TEXT',
        properties: { minLength: 3, maxLength: 9, variant: 'EMAIL' },
        value: [],
      },
      {
        id: 'a',
        key: 'e',
        type: 'text',
        properties: { min_length: 3, max_length: 9, variant: 'email' },
        value: [],
      },
    ],
    [
      'number with DATE variant → date',
      { id: 'a', key: 'd', type: 'number', properties: { variant: 'DATE_TIME' }, value: 1698765432 },
      { id: 'a', key: 'd', type: 'date', properties: {}, value: [1698765432] },
    ],
    [
      'missing id filled',
      { key: 'b', type: 'boolean', value: true },
      { id: 'blk_1', key: 'b', type: 'boolean', properties: {}, value: [true] },
    ],
    [
      'geo lng → lon',
      { id: 'a', key: 'g', type: 'GEO_LOCATION', value: { coordinates: { lat: 1, lng: 2 } } },
      {
        id: 'a',
        key: 'g',
        type: 'geo_location',
        properties: {},
        value: [{ coordinates: { lat: 1, lon: 2 } }],
      },
    ],
    [
      'list items { value: Block[] }',
      {
        id: 'a',
        key: 'l',
        type: 'list',
        value: [{ value: [{ id: 'c', key: 'q', type: 'text', value: 'x' }] }],
      },
      {
        id: 'a',
        key: 'l',
        type: 'block',
        properties: {},
        value: [{ id: 'blk_1', blocks: [{ id: 'c', key: 'q', type: 'text', properties: {}, value: ['x'] }] }],
      },
    ],
    [
      'bare Block[] → one group',
      { id: 'a', key: 'l', type: 'block', value: [{ id: 'c', key: 'q', type: 'number', value: 1 }] },
      {
        id: 'a',
        key: 'l',
        type: 'block',
        properties: {},
        value: [{ id: 'blk_1', blocks: [{ id: 'c', key: 'q', type: 'number', properties: {}, value: [1] }] }],
      },
    ],
    [
      'map Record<string, Block> → one group, keys from the map',
      { id: 'a', key: 'm', type: 'map', value: { q: { id: 'c', type: 'boolean', value: false } } },
      {
        id: 'a',
        key: 'm',
        type: 'block',
        properties: {},
        value: [
          { id: 'blk_1', blocks: [{ id: 'c', key: 'q', type: 'boolean', properties: {}, value: [false] }] },
        ],
      },
    ],
    ['non-object kept for the validator', 'oops', 'oops'],
  ];
  it.each(cases)('%s', (_name, input, expected) => {
    expect(norm([input])).toEqual([expected]);
  });

  it('dehydrate leaves unknown forms alone', () => {
    expect(dehydrate('media:med_1')).toBe('media:med_1');
    expect(dehydrate('med_abc')).toBe('media:med_abc');
    expect(dehydrate('node_abc')).toBe('entry:node_abc');
    expect(dehydrate(5)).toBe(5);
  });
});

const block = (over: Partial<Block> & Record<string, unknown>): Block =>
  ({ id: 'b', key: 'k', type: 'text', properties: {}, value: [], ...over }) as Block;
const fields = (blocks: unknown[], opts = {}) =>
  validateBlocks(blocks, opts).map((e) => `${e.field}:${e.reason}`);

describe('validateBlocks', () => {
  const cases: [string, unknown[], string[]][] = [
    ['valid text', [block({ value: ['Hello'] })], []],
    ['valid localized map', [block({ value: [{ en: 'Hi', fr: 'Salut' }] })], []],
    ['not an object', ['x'], ['blocks.0:type']],
    ['missing key', [block({ key: '' })], ['blocks.0.key:required']],
    ['duplicate key', [block({}), block({ id: 'c' })], ['blocks.1.key:duplicate']],
    ['unknown type', [block({ type: 'color' as never })], ['blocks.0.type:invalid_value']],
    ['multiple false', [block({ value: ['a', 'b'] })], ['blocks.0.value:max_items']],
    ['multiple true', [block({ properties: { multiple: true }, value: ['a', 'b'] })], []],
    ['required empty', [block({ properties: { required: true }, value: [''] })], ['blocks.0.value:required']],
    [
      'max_length',
      [block({}), block({ key: 't', properties: { max_length: 3 }, value: ['abcd'] })],
      ['blocks.1.value.0:max_length'],
    ],
    [
      'max_length per locale',
      [block({ properties: { max_length: 3 }, value: [{ en: 'abc', fr: 'abcd' }] })],
      ['blocks.0.value.0.fr:max_length'],
    ],
    [
      'min_length',
      [block({ properties: { min_length: 3 }, value: ['ab'] })],
      ['blocks.0.value.0:min_length'],
    ],
    [
      'pattern',
      [block({ properties: { pattern: '^[0-9]+$' }, value: ['12a'] })],
      ['blocks.0.value.0:pattern'],
    ],
    [
      'bad pattern property',
      [block({ properties: { pattern: '(' } })],
      ['blocks.0.properties.pattern:pattern'],
    ],
    // Only linear-time (RE2) patterns are accepted: backreferences and lookaround are refused.
    [
      'backreference pattern',
      [block({ properties: { pattern: '^(a)\\1$' } })],
      ['blocks.0.properties.pattern:pattern'],
    ],
    [
      'lookahead pattern',
      [block({ properties: { pattern: '^(?=a)a$' } })],
      ['blocks.0.properties.pattern:pattern'],
    ],
    [
      'pathological pattern runs in linear time',
      [block({ properties: { pattern: '^(a+)+$' }, value: ['a'.repeat(5000) + '!'] })],
      ['blocks.0.value.0:pattern'],
    ],
    ['unicode pattern', [block({ properties: { pattern: '^\\p{L}+$' }, value: ['été'] })], []],
    [
      'email variant',
      [block({ properties: { variant: 'email' }, value: ['nope'] })],
      ['blocks.0.value.0:format'],
    ],
    [
      'phone variant ok',
      [block({ properties: { variant: 'phone_number' }, value: ['+33 1 23 45 67 89'] })],
      [],
    ],
    [
      'url variant',
      [block({ properties: { variant: 'url' }, value: ['javascript:alert(1)'] })],
      ['blocks.0.value.0:format'],
    ],
    [
      'bad variant',
      [block({ properties: { variant: 'color' } })],
      ['blocks.0.properties.variant:invalid_value'],
    ],
    ['number type', [block({ type: 'number', value: ['1'] })], ['blocks.0.value.0:type']],
    [
      'number min',
      [block({ type: 'number', properties: { min: 0 }, value: [-1] })],
      ['blocks.0.value.0:min'],
    ],
    [
      'number max',
      [block({ type: 'number', properties: { max: 10 }, value: [10.5] })],
      ['blocks.0.value.0:max'],
    ],
    ['boolean', [block({ type: 'boolean', value: ['true'] })], ['blocks.0.value.0:type']],
    ['date integer', [block({ type: 'date', value: [1.5] })], ['blocks.0.value.0:type']],
    [
      'geo ok',
      [
        block({
          type: 'geo_location',
          value: [{ address: '1 Main St', coordinates: { lat: 40.7, lon: -74 } }],
        }),
      ],
      [],
    ],
    ['geo null coordinates', [block({ type: 'geo_location', value: [{ coordinates: null }] })], []],
    [
      'geo lat range',
      [block({ type: 'geo_location', value: [{ coordinates: { lat: 91, lon: 0 } }] })],
      ['blocks.0.value.0.coordinates.lat:max'],
    ],
    ['relationship ref', [block({ type: 'relationship', value: ['media:med_1'] })], []],
    [
      'relationship garbage',
      [block({ type: 'relationship', value: ['med 1'] })],
      ['blocks.0.value.0:format'],
    ],
    [
      'relationship target',
      [block({ type: 'relationship', properties: { target: 'media' }, value: ['entry:node_1'] })],
      ['blocks.0.value.0:target'],
    ],
    [
      'nested block ok',
      [block({ type: 'block', value: [{ id: 'g', blocks: [block({ type: 'number', value: [1] })] }] })],
      [],
    ],
    [
      'nested block path',
      [
        block({
          type: 'block',
          properties: { multiple: true },
          value: [
            { id: 'g', blocks: [] },
            { id: 'h', blocks: [block({ type: 'number', value: ['x'] })] },
          ],
        }),
      ],
      ['blocks.0.value.1.blocks.0.value.0:type'],
    ],
    [
      'nested template',
      [
        block({
          type: 'block',
          properties: { blocks: [block({ key: 'q', type: 'number', properties: { min: 0 } })] },
          value: [{ id: 'g', blocks: [block({ key: 'q', type: 'number', value: [-5] })] }],
        }),
      ],
      ['blocks.0.value.0.blocks.0.value.0:min'],
    ],
    ['bad group', [block({ type: 'block', value: ['x'] })], ['blocks.0.value.0:type']],
  ];
  it.each(cases)('%s', (_name, blocks, expected) => {
    expect(fields(blocks)).toEqual(expected);
  });

  it('checks children against the parent schema', () => {
    const schema = [
      block({ key: 'title', properties: { required: true, max_length: 5 } }),
      block({ key: 'price', type: 'number', properties: { min: 0 } }),
    ];
    expect(fields([block({ key: 'title', value: ['ok'] })], { schema })).toEqual([]);
    expect(fields([block({ key: 'title', value: ['too long'] })], { schema })).toEqual([
      'blocks.0.value.0:max_length',
    ]);
    expect(
      fields([block({ key: 'title', value: ['a'] }), block({ key: 'price', type: 'text', value: ['1'] })], {
        schema,
      }),
    ).toEqual(['blocks.1.type:schema_mismatch']);
    expect(fields([block({ key: 'price', type: 'number', value: [-1] })], { schema })).toEqual([
      'blocks.0.value.0:min',
      'blocks:required',
    ]);
    expect(
      fields([block({ key: 'extra', value: ['free'] }), block({ key: 'title', value: ['x'] })], { schema }),
    ).toEqual([]);
  });

  it('limits nesting depth', () => {
    let b: Block = block({ type: 'number', value: [1] });
    for (let i = 0; i < 8; i++) b = block({ type: 'block', value: [{ id: `g${i}`, blocks: [b] }] });
    expect(fields([b]).some((f) => f.endsWith(':max_depth'))).toBe(true);
  });

  it('checkBlocks normalizes then validates', () => {
    const { blocks, errors } = checkBlocks(
      [{ key: 'title', type: 'LOCALIZED_TEXT', properties: { maxLength: 3 }, value: { en: 'abcd' } }],
      { newId: () => 'x' },
    );
    expect(blocks[0]).toMatchObject({ id: 'x', type: 'text', value: [{ en: 'abcd' }] });
    expect(errors.map((e) => e.field)).toEqual(['blocks.0.value.0.en']);
  });
});

describe('refs and hydration', () => {
  const blocks: Block[] = [
    block({
      key: 'img',
      type: 'relationship',
      properties: { multiple: true },
      value: ['media:med_1', 'entry:node_1', 'media:gone'],
    }),
    block({
      key: 'g',
      type: 'block',
      value: [{ id: 'g', blocks: [block({ key: 'inner', type: 'relationship', value: ['media:med_2'] })] }],
    }),
  ];
  it('collects refs, nested ones too', () => {
    const refs = collectRefs(blocks);
    expect([...refs.media].sort()).toEqual(['gone', 'med_1', 'med_2']);
    expect([...refs.entry]).toEqual(['node_1']);
  });
  it('hydrates known refs and leaves unknown ones as strings', () => {
    const out = hydrateBlocks(blocks, (kind, id) => (id === 'gone' ? undefined : { kind, id }));
    expect(out[0]!.value).toEqual([
      { kind: 'media', id: 'med_1' },
      { kind: 'entry', id: 'node_1' },
      'media:gone',
    ]);
    expect((out[1]!.value[0] as { blocks: Block[] }).blocks[0]!.value).toEqual([
      { kind: 'media', id: 'med_2' },
    ]);
    expect(blocks[0]!.value[0]).toBe('media:med_1');
  });
  it('builds search text from key, slugs and texts', () => {
    expect(searchText('Post', { en: 'hello' }, [block({ value: [{ en: 'Big News', fr: 'Grande' }] })])).toBe(
      'post\nhello\nbig news\ngrande',
    );
  });
});

describe('localize (§1.3 fallback)', () => {
  const cases: [unknown, string, string | undefined, string][] = [
    [{ en: 'Hello', fr: 'Bonjour' }, 'fr', 'en', 'Bonjour'],
    [{ en: 'Hello', fr: 'Bonjour' }, 'de', 'en', 'Hello'],
    [{ fr: 'Bonjour', it: 'Ciao' }, 'de', 'en', 'Bonjour'],
    [{ en: 'Hello', fr: 'Bonjour' }, 'de', 'fr', 'Bonjour'],
    ['plain', 'fr', 'en', 'plain'],
    [42, 'fr', 'en', ''],
  ];
  it.each(cases)('%j in %s (default %s) → %s', (value, locale, def, expected) => {
    expect(localize(value, locale, def)).toBe(expected);
  });
});

describe('templates', () => {
  it('does not apply `required` to a schema’s own (default) values', () => {
    const schema = [block({ key: 'title', properties: { required: true, max_length: 3 } })];
    expect(fields(schema, { template: true })).toEqual([]);
    expect(fields(schema)).toEqual(['blocks.0.value:required']);
    expect(
      fields([block({ key: 'title', properties: { max_length: 3 }, value: ['long'] })], { template: true }),
    ).toEqual(['blocks.0.value.0:max_length']);
  });
});
