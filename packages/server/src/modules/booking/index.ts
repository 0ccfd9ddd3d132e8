import type { FastifyInstance } from 'fastify';
import { registerServiceLines } from '../commerce/index.ts';
import { registerStoreCount } from '../stores/index.ts';
import { bookingLines } from './booking.lines.ts';
import { bookingRoutes } from './booking.routes.ts';
import { sweepReminders } from './reminders.ts';

export { createService, createProvider } from './entity.service.ts';
export { createServiceProvider } from './service-provider.service.ts';
export { sweepReminders } from './reminders.ts';

/**
 * Booking (CONTRACT §7): routes, the service-line handler commerce uses for service items in
 * carts, quotes and checkout, store counts and the reminder sweep (every minute, once per cluster).
 */
export async function registerBooking(app: FastifyInstance): Promise<void> {
  registerStoreCount('services', 'services');
  registerStoreCount('providers', 'providers');
  registerServiceLines(bookingLines);
  await app.register(bookingRoutes);
  app.deps.jobs.every('booking.reminders', 60, async (_payload, { db, now }) => {
    while ((await sweepReminders(db, now())) > 0);
  });
}
