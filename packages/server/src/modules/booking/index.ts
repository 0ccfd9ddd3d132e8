import { recurringJob } from '../../lib/jobs.ts';
import { defineModule, type StoreCounter } from '../../lib/module.ts';
import { bookingLines } from './booking.lines.ts';
import { bookingRoutes } from './booking.routes.ts';
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
 * carts, quotes and checkout, the services/providers store counts and the reminder sweep (every
 * minute, once per cluster).
 */
export const bookingModule = defineModule({
  name: 'booking',
  storeCounters: { services: count('services'), providers: count('providers') },
  provides: { serviceLines: bookingLines },
  install: () => ({
    routes: async (app) => {
      await app.register(bookingRoutes);
    },
    jobs: [
      recurringJob('booking.reminders', 60, async ({ db, now }) => {
        while ((await sweepReminders(db, now())) > 0);
      }),
    ],
  }),
});
