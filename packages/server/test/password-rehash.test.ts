import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { passwordNeedsRehash, verifyPassword } from '../src/lib/crypto.ts';
import { createTestApp, testConfig, type TestApp } from './helpers.ts';
import { registerAccount } from './fixtures.ts';

/** PASSWORD_HASH_COST raised: an old hash is replaced by a stronger one at the next successful login. */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ env: { PASSWORD_HASH_COST: '12' } });
});
afterAll(async () => t?.close());

const hashOf = async (email: string) =>
  (
    await t.db.handle.db
      .selectFrom('accounts')
      .select('password_hash')
      .where('email', '=', email)
      .executeTakeFirstOrThrow()
  ).password_hash!;

describe('password rehash on login', () => {
  it('upgrades a 2^12 hash to 2^13 at the next login, only after a correct password', async () => {
    const owner = await registerAccount(t.app, 'rehash@example.com', 'a long password');
    expect(owner.email).toBe('rehash@example.com');
    const before = await hashOf('rehash@example.com');
    expect(before.split('$')[1]).toBe(String(2 ** 12));

    const stronger = await buildApp(testConfig({ PASSWORD_HASH_COST: '13' }), {
      db: t.db.handle,
      runJobs: false,
    });
    try {
      const wrong = await stronger.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: { email: 'rehash@example.com', password: 'wrong password' },
      });
      expect(wrong.statusCode).toBe(401);
      expect(await hashOf('rehash@example.com')).toBe(before);

      const ok = await stronger.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: { email: 'rehash@example.com', password: 'a long password' },
      });
      expect(ok.statusCode).toBe(200);
      const after = await hashOf('rehash@example.com');
      expect(after.split('$')[1]).toBe(String(2 ** 13));
      expect(passwordNeedsRehash(after, 13)).toBe(false);
      expect(await verifyPassword('a long password', after)).toBe(true);
      // A second login at the same cost leaves the hash alone.
      const again = await stronger.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: { email: 'rehash@example.com', password: 'a long password' },
      });
      expect(again.statusCode).toBe(200);
      expect(await hashOf('rehash@example.com')).toBe(after);
    } finally {
      await stronger.close();
    }
  });

  it('defaults to OWASP scrypt N=2^17', () => {
    expect(testConfig({ PASSWORD_HASH_COST: '' }).passwordHashCost).toBe(17);
    expect(() => testConfig({ PASSWORD_HASH_COST: '30' })).toThrow(/PASSWORD_HASH_COST/);
  });
});
