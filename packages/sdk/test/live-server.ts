import type { AddressInfo } from 'node:net';
import { createTestApp, type TestApp } from '../../server/test/helpers.ts';
import { createStore, registerAccount } from '../../server/test/fixtures.ts';
import { createArkyClient, type ArkyClient, type ArkyClientConfig } from '../src/index.ts';

/** The real server on a fresh database, listening on a loopback port, for SDK tests. */
export async function liveServer(
  options: Parameters<typeof createTestApp>[0] = {},
): Promise<{ t: TestApp; baseUrl: string }> {
  const t = await createTestApp(options);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = t.app.server.address() as AddressInfo;
  return { t, baseUrl: `http://127.0.0.1:${port}` };
}

/** A registered owner with a store, and an admin client acting as that owner. */
export async function ownerClient(t: TestApp, baseUrl: string, extra: Partial<ArkyClientConfig> = {}) {
  const owner = await registerAccount(t.app);
  const storeId = await createStore(t.app, owner);
  const token = owner.headers.authorization!.replace('Bearer ', '');
  const config: ArkyClientConfig = { storeId, baseUrl, getToken: () => token, setToken: () => {}, ...extra };
  const sdk: ArkyClient = createArkyClient(config);
  return { owner, storeId, config, sdk };
}
