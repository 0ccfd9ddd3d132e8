import { recurringJob } from '../../lib/jobs.ts';
import { defineModule, type StoreCounter } from '../../lib/module.ts';
import { queueBookingEmails } from './booking.emails.ts';
import { bookingLines } from './booking.lines.ts';
import { bookingRoutes } from './booking.routes.ts';
import { storefrontBookingRoutes } from './booking.storefront.routes.ts';
import { sweepReminders } from './reminders.ts';

export { createService, createProvider } from './entity.service.ts';
export { createServiceProvider } from './service-provider.service.ts';
export { sweepReminders } from './reminders.ts';

const count =
  (table: 'services' | 'providers'): StoreCounter =>
  async (db, storeId) =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .where('store_id', '=', storeId)
          .executeTakeFirstOrThrow()
      ).n,
    );

/**
 * Booking (CONTRACT §7): routes, the `serviceLines` extension commerce uses for service items in
 * carts, quotes and checkout, the services/providers store counts, the reminder sweep (every
 * minute, once per cluster) and the booking confirmation and reminder emails.
 */
export const bookingModule = defineModule({
  name: 'booking',
  storeCounters: { services: count('services'), providers: count('providers') },
  provides: { serviceLines: bookingLines },
  install: (deps) => ({
    routes: async (app) => {
      await app.register(bookingRoutes);
      await app.register(storefrontBookingRoutes);
    },
    // A template that fails to render must not hold up the outbox: the email is skipped and logged.
    subscribers: [
      (trx, event) =>
        queueBookingEmails(trx, event, deps.now()).catch((error: unknown) => {
          deps.log.error({ err: error, event: event.id }, 'booking email not queued');
        }),
    ],
    jobs: [
      recurringJob('booking.reminders', 60, async ({ db, now }) => {
        while ((await sweepReminders(db, now())) > 0);
      }),
    ],
  }),
});
