import type { FastifyInstance } from 'fastify';
import { emailRoutes } from './email.routes.ts';
import { queueOrderConfirmation } from './order-confirmation.ts';

export { enqueueTemplatedEmail, type TemplatedEmail } from './email.service.ts';
export { renderEmail, chooseLocale } from './render.ts';
export { TEMPLATE_NAMES, type TemplateName } from './templates.ts';
export { formatAmount } from './order-confirmation.ts';

/** Email templates: preview route and the order confirmation sent on `order.created`. */
export async function registerEmails(app: FastifyInstance): Promise<void> {
  const { bus, now } = app.deps;
  // A template that fails to render must not hold up the outbox: the email is skipped and logged.
  bus.subscribe((trx, event) =>
    queueOrderConfirmation(trx, event, now()).catch((error: unknown) => {
      app.log.error({ err: error, event: event.id }, 'order confirmation email not queued');
    }),
  );
  await app.register(emailRoutes);
}
