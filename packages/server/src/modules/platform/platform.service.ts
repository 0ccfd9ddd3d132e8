import { createRequire } from 'node:module';
import currencyCodes from 'currency-codes';
import type { Country } from '@openarky/contract';

let countries: Country[] | null = null;

// The country-state-city package's own data files, read directly: its entry module also loads
// 8 MB of cities (about 60 MiB of heap) that this server never uses.
const require = createRequire(import.meta.url);
interface CscCountry {
  isoCode: string;
  name: string;
}
interface CscState extends CscCountry {
  countryCode: string;
}

/** ISO 3166-1 countries with their subdivisions, from the country-state-city data package. */
export function listCountries(): Country[] {
  if (countries) return countries;
  const all = require('country-state-city/lib/assets/country.json') as CscCountry[];
  const states = require('country-state-city/lib/assets/state.json') as CscState[];
  const byCountry = new Map<string, { code: string; name: string }[]>();
  for (const s of states) {
    const list = byCountry.get(s.countryCode) ?? [];
    list.push({ code: s.isoCode.toUpperCase(), name: s.name });
    byCountry.set(s.countryCode, list);
  }
  countries = all
    .map((c) => ({
      code: c.isoCode.toUpperCase(),
      name: c.name,
      states: (byCountry.get(c.isoCode) ?? []).sort((a, b) => a.code.localeCompare(b.code)),
    }))
    .sort((a, b) => a.code.localeCompare(b.code));
  return countries;
}

export function findCountry(code: string): Country | undefined {
  const upper = code.toUpperCase();
  return listCountries().find((c) => c.code === upper);
}

// Codes that ISO 4217 lists but that are not currencies a store can price in.
const NOT_TRADABLE = new Set(['XAG', 'XAU', 'XBA', 'XBB', 'XBC', 'XBD', 'XDR', 'XPD', 'XPT', 'XSU', 'XTS', 'XUA', 'XXX']);

let currencies: string[] | null = null;

/** ISO 4217 currency codes (the currency-codes data package), sorted. */
export function listCurrencies(): string[] {
  currencies ??= currencyCodes
    .codes()
    .filter((c) => !NOT_TRADABLE.has(c))
    .sort();
  return currencies;
}

export function isCurrency(code: string): boolean {
  return listCurrencies().includes(code.toUpperCase());
}

/** Digits after the decimal point (JPY 0, USD 2, KWD 3). */
export function currencyDigits(code: string): number {
  return currencyCodes.code(code.toUpperCase())?.digits ?? 2;
}
