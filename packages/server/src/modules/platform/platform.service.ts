import { Country as CscCountry, State as CscState } from 'country-state-city';
import currencyCodes from 'currency-codes';
import type { Country } from '@openarky/contract';

let countries: Country[] | null = null;

/** ISO 3166-1 countries with their subdivisions, from the country-state-city data package. */
export function listCountries(): Country[] {
  countries ??= CscCountry.getAllCountries()
    .map((c) => ({
      code: c.isoCode.toUpperCase(),
      name: c.name,
      states: CscState.getStatesOfCountry(c.isoCode)
        .map((s) => ({ code: s.isoCode.toUpperCase(), name: s.name }))
        .sort((a, b) => a.code.localeCompare(b.code)),
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
