export { platformRoutes } from './platform.routes.ts';
export { isCurrency, currencyDigits, findCountry, listCurrencies } from './platform.service.ts';

import { defineModule } from '../../lib/module.ts';
import { platformRoutes } from './platform.routes.ts';

/** Public read-only catalogues (CONTRACT §10.5). */
export const platformModule = defineModule({
  name: 'platform',
  install: () => ({
    routes: async (app) => {
      await app.register(platformRoutes);
    },
  }),
});
