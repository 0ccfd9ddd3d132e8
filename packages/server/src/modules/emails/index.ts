import { defineModule } from '../../lib/module.ts';
import { emailRoutes } from './email.routes.ts';
import { queueOrderConfirmation } from './order-confirmation.ts';

export { enqueueTemplatedEmail, type TemplatedEmail } from './email.service.ts';
export { renderEmail, chooseLocale } from './render.ts';
export { TEMPLATE_NAMES, type TemplateName } from './templates.ts';
export { formatAmount } from './order-confirmation.ts';

/** Email templates: preview route and the order confirmation sent on `order.created`. */
export const emailsModule = defineModule({
  name: 'emails',
  install: (deps) => ({
    routes: async (app) => {
      await app.register(emailRoutes);
    },
    // A template that fails to render must not hold up the outbox: the email is skipped and logged.
    subscribers: [
      (trx, event) =>
        queueOrderConfirmation(trx, event, deps.now()).catch((error: unknown) => {
          deps.log.error({ err: error, event: event.id }, 'order confirmation email not queued');
        }),
    ],
  }),
});
