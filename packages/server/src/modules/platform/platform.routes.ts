import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Country, CountryList, CountryParams, CurrencyList } from '@openarky/contract';
import { notFound } from '../../lib/errors.ts';
import { errorResponses } from '../../lib/http/route-schema.ts';
import { findCountry, listCountries, listCurrencies } from './platform.service.ts';

const tags = ['platform'];

/** Public, read-only catalogues (CONTRACT §10.5). */
export const platformRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/platform/currencies',
    {
      schema: {
        tags,
        summary: 'ISO 4217 currency codes',
        security: [],
        response: { 200: CurrencyList, ...errorResponses },
      },
    },
    async (_req, reply) => {
      reply.header('cache-control', 'public, max-age=86400');
      return listCurrencies();
    },
  );

  app.get(
    '/v1/platform/countries',
    {
      schema: {
        tags,
        summary: 'Countries with their states',
        security: [],
        response: { 200: CountryList, ...errorResponses },
      },
    },
    async (_req, reply) => {
      reply.header('cache-control', 'public, max-age=86400');
      return { items: listCountries(), cursor: null, has_more: false as const };
    },
  );

  app.get(
    '/v1/platform/countries/:code',
    {
      schema: {
        tags,
        summary: 'One country with its states',
        security: [],
        params: CountryParams,
        response: { 200: Country, ...errorResponses },
      },
    },
    async (req) => {
      const country = findCountry(req.params.code);
      if (!country) throw notFound('country', `No country with code ${req.params.code.toUpperCase()}`);
      return country;
    },
  );
};
