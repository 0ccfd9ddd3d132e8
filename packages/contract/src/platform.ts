import { Type, type Static } from '@sinclair/typebox';

export const CountryState = Type.Object({ code: Type.String(), name: Type.String() });
export const Country = Type.Object(
  {
    code: Type.String({ description: 'ISO 3166-1 alpha-2' }),
    name: Type.String(),
    states: Type.Array(CountryState),
  },
  { title: 'Country' },
);
export type Country = Static<typeof Country>;

export const CountryList = Type.Object({
  items: Type.Array(Country),
  cursor: Type.Null(),
  has_more: Type.Literal(false),
});

export const CurrencyList = Type.Array(Type.String({ description: 'ISO 4217 code' }));

export const CountryParams = Type.Object({ code: Type.String({ pattern: '^[A-Za-z]{2}$' }) });

export const Health = Type.Object({ status: Type.String() });
export const Readiness = Type.Object({
  status: Type.String(),
  database: Type.String(),
  migrations: Type.Object({
    applied: Type.Integer(),
    expected: Type.Integer(),
    pending: Type.Array(Type.String()),
  }),
});
