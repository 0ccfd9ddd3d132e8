/**
 * Benchmark runner: `npm run bench -- <scenario>`. Scenarios live beside this file; each prints
 * its own figures. PostgreSQL is used when BENCH_DATABASE_URL is set, else SQLite.
 */
import { startup } from './startup.ts';
import { checkout, products, quote } from './commerce.ts';
import { cardCheckout } from './card-checkout.ts';
import { audienceImport } from './audience-import.ts';
import { ceiling, side } from './side.ts';
import { profile } from './profile.ts';
import { catalogue } from './catalogue.ts';
import { soak } from './soak.ts';
import { cpu } from './cpu.ts';
import { contention } from './contention.ts';
import { bookingAvailability, bookingCheckout } from './booking.ts';
import { webhookDrain } from './webhook-drain.ts';

const scenarios: Record<string, () => Promise<void>> = {
  startup,
  products,
  quote,
  checkout,
  'card-checkout': cardCheckout,
  'audience-import': audienceImport,
  ceiling,
  side,
  profile,
  catalogue,
  soak,
  cpu,
  contention,
  'booking-availability': bookingAvailability,
  'booking-checkout': bookingCheckout,
  'webhook-drain': webhookDrain,
};

const name = process.argv[2];
const scenario = name ? scenarios[name] : undefined;
if (!scenario) {
  console.error(`usage: npm run bench -- <scenario>\nscenarios: ${Object.keys(scenarios).join(', ')}`);
  process.exit(2);
}
await scenario();
