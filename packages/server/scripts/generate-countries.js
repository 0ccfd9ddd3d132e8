#!/usr/bin/env node
/**
 * Writes src/modules/platform/countries.json (what GET /v1/platform/countries serves): ISO 3166-1
 * countries with their subdivisions, from the `country-state-city` data package (a devDependency:
 * the server itself ships only the generated file, not the 17 MB package).
 *
 *   node packages/server/scripts/generate-countries.js          regenerate the file
 *   node packages/server/scripts/generate-countries.js --check  exit 1 when the file is not what the package gives
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const target = new URL('../src/modules/platform/countries.json', import.meta.url);

// The package's data files, read directly: its entry module also loads 8 MB of cities.
const all = require('country-state-city/lib/assets/country.json');
const states = require('country-state-city/lib/assets/state.json');
const byCountry = new Map();
for (const s of states) {
  const list = byCountry.get(s.countryCode) ?? [];
  list.push({ code: s.isoCode.toUpperCase(), name: s.name });
  byCountry.set(s.countryCode, list);
}
const countries = all
  .map((c) => ({
    code: c.isoCode.toUpperCase(),
    name: c.name,
    states: (byCountry.get(c.isoCode) ?? []).sort((a, b) => a.code.localeCompare(b.code)),
  }))
  .sort((a, b) => a.code.localeCompare(b.code));
const text = JSON.stringify(countries) + '\n';

if (process.argv.includes('--check')) {
  const current = readFileSync(target, 'utf8');
  if (current !== text) {
    console.error(
      'countries.json differs from country-state-city: run node packages/server/scripts/generate-countries.js',
    );
    process.exit(1);
  }
} else {
  writeFileSync(target, text);
  console.error(`wrote ${countries.length} countries to ${target.pathname}`);
}
