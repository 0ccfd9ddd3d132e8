export { platformRoutes } from './platform.routes.ts';
export { isCurrency, currencyDigits, findCountry, listCurrencies } from './platform.service.ts';
