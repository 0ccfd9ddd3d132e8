import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { TypedApp } from '../../lib/http/typed-app.ts';
import { installStoreGuard } from './store-scope.ts';

/**
 * Registers routes under `/v1/stores/:storeId/…` behind the store guard. Every admin module puts
 * its store routes inside this, so membership is checked before any handler runs.
 */
export async function storeScoped(app: FastifyInstance<any, any, any, any, any>, routes: (scoped: TypedApp) => Promise<void>): Promise<void> {
  await app.register(async (child: FastifyInstance) => {
    installStoreGuard(child);
    await routes(child.withTypeProvider<TypeBoxTypeProvider>());
  });
}
