import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'openarky-config-'));

describe('config', () => {
  it('generates development secrets once, mode 600, and reuses them', () => {
    const dir = tmp();
    const a = loadConfig({ DATA_DIR: dir });
    const b = loadConfig({ DATA_DIR: dir });
    expect(a.jwtSecret).toBe(b.jwtSecret);
    expect(a.encryptionKey.equals(b.encryptionKey)).toBe(true);
    expect(a.encryptionKey.length).toBe(32);
    const file = join(dir, 'secrets.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toContain(a.jwtSecret);
    expect(a.seedDemo).toBe(true);
    expect(a.port).toBe(8000);
    expect(a.host).toBe('0.0.0.0');
  });

  it('refuses to start in production without secrets, naming them', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: tmp() })).toThrow(
      /JWT_SECRET and ENCRYPTION_KEY must be set/,
    );
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), DATA_DIR: tmp() })).toThrow(
      /ENCRYPTION_KEY/,
    );
    const ok = loadConfig({
      NODE_ENV: 'production',
      JWT_SECRET: 'x'.repeat(40),
      ENCRYPTION_KEY: 'ab'.repeat(32),
      SEED_DEMO: 'true',
      DATA_DIR: tmp(),
    });
    expect(ok.seedDemo).toBe(false);
    expect(ok.logEmailCodes).toBe(false);
  });

  it('reads PROCESS_ROLE (default all)', () => {
    expect(loadConfig({ DATA_DIR: tmp() }).processRole).toBe('all');
    expect(loadConfig({ DATA_DIR: tmp(), PROCESS_ROLE: 'worker' }).processRole).toBe('worker');
    expect(loadConfig({ DATA_DIR: tmp(), PROCESS_ROLE: ' Web ' }).processRole).toBe('web');
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT must be a whole number/],
    [{ PORT: '70000' }, /PORT must be between/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must start with postgres/],
    [{ JWT_SECRET: 'short' }, /at least 32/],
    [{ ENCRYPTION_KEY: 'abcd' }, /32 bytes/],
    [{ SEED_DEMO: 'maybe' }, /SEED_DEMO must be true or false/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ PROCESS_ROLE: 'both' }, /PROCESS_ROLE must be one of all, web, worker/],
    [{ SUBSCRIPTION_PLANS: '{' }, /SUBSCRIPTION_PLANS/],
  ])('rejects %o', (env, message) => {
    expect(() => loadConfig({ DATA_DIR: tmp(), ...env })).toThrow(ConfigError);
    expect(() => loadConfig({ DATA_DIR: tmp(), ...env })).toThrow(message);
  });
});
