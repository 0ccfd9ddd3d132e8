import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve, join } from 'node:path';

import {
  ConfigError,
  bool,
  int,
  list,
  mediaConfig,
  plans,
  stripeConfig,
  type Env,
  type MediaConfig,
  type PlanConfig,
} from './config.parse.ts';

export { ConfigError, type MediaConfig, type PlanConfig };
export { VARIABLES, type VariableDoc } from './config.variables.ts';

export type Environment = 'development' | 'test' | 'production';

/** What one process does: see `PROCESS_ROLE`. */
export type ProcessRole = 'all' | 'web' | 'worker';
export const PROCESS_ROLES: readonly ProcessRole[] = ['all', 'web', 'worker'];

export interface Config {
  readonly env: Environment;
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /** `postgres://…` or null for the embedded SQLite file under dataDir. */
  readonly databaseUrl: string | null;
  readonly databasePoolMax: number;
  readonly seedDemo: boolean;
  readonly jwtSecret: string;
  /** 32-byte AES-256 key for secrets at rest. */
  readonly encryptionKey: Buffer;
  /** Identifies the encryption key in ciphertexts, so keys can be rotated. */
  readonly encryptionKeyId: string;
  /** Every key secrets can be opened with, by key id: the current one and ENCRYPTION_KEY_PREVIOUS. */
  readonly decryptionKeys: Readonly<Record<string, Buffer>>;
  /** log2 of scrypt's N for new password hashes; older hashes are upgraded at the next login. */
  readonly passwordHashCost: number;
  /** Apply pending migrations when the server starts (MIGRATE_ON_START); else run `openarky migrate`. */
  readonly migrateOnStart: boolean;
  /** Global flood limit per client IP and per API key: requests per window; 0 turns it off. */
  readonly rateLimitMax: number;
  readonly rateLimitWindowSeconds: number;
  /** When set, GET /metrics needs `Authorization: Bearer <token>`. */
  readonly metricsToken: string | null;
  /** OTLP/HTTP endpoint traces are exported to; null = tracing off. */
  readonly otelEndpoint: string | null;
  readonly otelServiceName: string;
  readonly bodyLimitBytes: number;
  readonly logLevel: string;
  readonly publicUrl: string;
  readonly trustProxy: boolean;
  readonly jobPollIntervalMs: number;
  /** `all` serves HTTP and runs background work; `web` only serves; `worker` only runs jobs (plus health routes). */
  readonly processRole: ProcessRole;
  readonly shutdownTimeoutMs: number;
  readonly accessTokenTtlSeconds: number;
  readonly refreshTokenTtlSeconds: number;
  readonly smtpUrl: string | null;
  readonly smtpFrom: string;
  /** Emails of accounts that act as `super` on every store. */
  readonly platformSuperAdmins: readonly string[];
  /** Hosts that outbound requests (webhooks, imports) may reach although they resolve to private addresses. */
  readonly outboundAllowedHosts: readonly string[];
  /** Platform subscription plans (SUBSCRIPTION_PLANS); paid plans need platform billing. */
  readonly subscriptionPlans: readonly PlanConfig[];
  /** Log email codes (development convenience); never on in production. */
  readonly logEmailCodes: boolean;
  /** Media uploads (CONTRACT §9): storage backend, per-file size limit, allowed MIME types, S3 settings. */
  readonly media: MediaConfig;
  /** First webhook retry delay; later retries grow from it (CONTRACT §10.1). */
  readonly webhookRetryBaseSeconds: number;
  /** Google OAuth token and revocation endpoints (a local stand-in in tests). */
  readonly googleTokenUrl: string;
  readonly googleRevokeUrl: string;
  /** Server-wide Google OAuth client, used when a store has no `google` integration of its own. */
  readonly googleClientId: string | null;
  readonly googleClientSecret: string | null;
  /** Stripe API base URL read by the official client (host/port/protocol); a local stand-in in tests. */
  readonly stripeApiUrl: string;
  /** Platform billing (subscriptions): null turns billing off (`billing_disabled` for paid plans). */
  readonly stripeSecretKey: string | null;
  /** Verifies `POST /v1/platform/billing/stripe/webhook`. */
  readonly stripeWebhookSecret: string | null;
}

function processRole(env: Env): ProcessRole {
  const raw = env.PROCESS_ROLE?.trim().toLowerCase() || 'all';
  const role = PROCESS_ROLES.find((r) => r === raw);
  if (!role) throw new ConfigError(`PROCESS_ROLE must be one of ${PROCESS_ROLES.join(', ')}, got "${raw}"`);
  return role;
}

function decodeKey(raw: string, name = 'ENCRYPTION_KEY'): Buffer {
  const trimmed = raw.trim();
  const buf = /^[0-9a-fA-F]{64}$/.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : Buffer.from(trimmed, 'base64');
  if (buf.length !== 32) throw new ConfigError(`${name} must be 32 bytes, as 64 hex characters or base64`);
  return buf;
}

interface StoredSecrets {
  jwt_secret: string;
  encryption_key: string;
}

/** Development only: secrets generated once and kept in DATA_DIR with mode 600. */
function developmentSecrets(dataDir: string): StoredSecrets {
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as StoredSecrets;
  mkdirSync(dataDir, { recursive: true });
  const secrets: StoredSecrets = {
    jwt_secret: randomBytes(48).toString('base64url'),
    encryption_key: randomBytes(32).toString('base64'),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  chmodSync(file, 0o600);
  return secrets;
}

/** Reads and validates configuration. The only reader of `process.env` in the server. */
export function loadConfig(env: Env = process.env): Config {
  const nodeEnv = (env.NODE_ENV ?? 'development').trim();
  if (!['development', 'test', 'production'].includes(nodeEnv)) {
    throw new ConfigError(`NODE_ENV must be development, test or production, got "${nodeEnv}"`);
  }
  const environment = nodeEnv as Environment;
  const production = environment === 'production';
  const port = int(env, 'PORT', 8000, 0, 65535);
  const dataDir = resolve(env.DATA_DIR ?? './data');

  const databaseUrl = env.DATABASE_URL?.trim() || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
  }

  let jwtSecret = env.JWT_SECRET?.trim() || '';
  let encryptionRaw = env.ENCRYPTION_KEY?.trim() || '';
  if (production) {
    const missing = [!jwtSecret && 'JWT_SECRET', !encryptionRaw && 'ENCRYPTION_KEY'].filter(Boolean);
    if (missing.length) {
      throw new ConfigError(
        `${missing.join(' and ')} must be set when NODE_ENV=production (no default secrets). ` +
          "Generate one with: node -e \"console.log(require('crypto').randomBytes(32).toString('base64'))\"",
      );
    }
  } else if (!jwtSecret || !encryptionRaw) {
    const stored = developmentSecrets(dataDir);
    jwtSecret ||= stored.jwt_secret;
    encryptionRaw ||= stored.encryption_key;
  }
  if (jwtSecret.length < 32) throw new ConfigError('JWT_SECRET must be at least 32 characters');
  const encryptionKey = decodeKey(encryptionRaw);
  const previousRaw = env.ENCRYPTION_KEY_PREVIOUS?.trim() || '';
  const previousKey = previousRaw ? decodeKey(previousRaw, 'ENCRYPTION_KEY_PREVIOUS') : null;
  const decryptionKeys: Record<string, Buffer> = { [keyId(encryptionKey)]: encryptionKey };
  if (previousKey) decryptionKeys[keyId(previousKey)] = previousKey;
  const otelEndpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim().replace(/\/+$/, '') || null;
  if (otelEndpoint && !/^https?:\/\//.test(otelEndpoint))
    throw new ConfigError('OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL');

  const seedDemo = production ? false : bool(env, 'SEED_DEMO', true);
  const publicUrl = (env.PUBLIC_URL?.trim() || `http://localhost:${port}`).replace(/\/+$/, '');
  if (!/^https?:\/\//.test(publicUrl)) throw new ConfigError('PUBLIC_URL must be an http(s) URL');
  const smtpUrl = env.SMTP_URL?.trim() || null;
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl))
    throw new ConfigError('SMTP_URL must start with smtp:// or smtps://');

  const config: Config = {
    env: environment,
    port,
    host: env.HOST?.trim() || '0.0.0.0',
    dataDir,
    databaseUrl,
    databasePoolMax: int(env, 'DATABASE_POOL_MAX', 10, 1, 500),
    seedDemo,
    jwtSecret,
    encryptionKey,
    encryptionKeyId: keyId(encryptionKey),
    decryptionKeys: Object.freeze(decryptionKeys),
    passwordHashCost: int(env, 'PASSWORD_HASH_COST', 17, 10, 20),
    migrateOnStart: bool(env, 'MIGRATE_ON_START', true),
    rateLimitMax: int(env, 'RATE_LIMIT_MAX', environment === 'test' ? 0 : 1200, 0, 10_000_000),
    rateLimitWindowSeconds: int(env, 'RATE_LIMIT_WINDOW_SECONDS', 60, 1, 86_400),
    metricsToken: env.METRICS_TOKEN?.trim() || null,
    otelEndpoint,
    otelServiceName: env.OTEL_SERVICE_NAME?.trim() || 'openarky',
    bodyLimitBytes: int(env, 'BODY_LIMIT_BYTES', 1024 * 1024, 1024, 1024 * 1024 * 1024),
    logLevel: env.LOG_LEVEL?.trim() || (environment === 'test' ? 'silent' : 'info'),
    publicUrl,
    trustProxy: bool(env, 'TRUST_PROXY', false),
    jobPollIntervalMs: int(env, 'JOB_POLL_INTERVAL_MS', 1000, 10, 3_600_000),
    processRole: processRole(env),
    shutdownTimeoutMs: int(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
    accessTokenTtlSeconds: int(env, 'ACCESS_TOKEN_TTL_SECONDS', 3600, 10, 86_400 * 7),
    refreshTokenTtlSeconds: int(env, 'REFRESH_TOKEN_TTL_SECONDS', 30 * 86_400, 60, 365 * 86_400),
    smtpUrl,
    smtpFrom: env.SMTP_FROM?.trim() || 'OpenArky <no-reply@localhost>',
    platformSuperAdmins: list(env, 'PLATFORM_SUPER_ADMINS'),
    outboundAllowedHosts: list(env, 'OUTBOUND_ALLOWED_HOSTS'),
    subscriptionPlans: plans(env),
    logEmailCodes: !production && !smtpUrl,
    media: mediaConfig(env),
    webhookRetryBaseSeconds: int(env, 'WEBHOOK_RETRY_BASE_SECONDS', 30, 0, 86_400),
    googleTokenUrl: env.GOOGLE_OAUTH_TOKEN_URL?.trim() || 'https://oauth2.googleapis.com/token',
    googleRevokeUrl: env.GOOGLE_OAUTH_REVOKE_URL?.trim() || 'https://oauth2.googleapis.com/revoke',
    googleClientId: env.GOOGLE_CLIENT_ID?.trim() || null,
    googleClientSecret: env.GOOGLE_CLIENT_SECRET?.trim() || null,
    ...stripeConfig(env),
  };
  if (config.stripeSecretKey) {
    const unpriced = config.subscriptionPlans.filter((p) => p.amount > 0 && !p.stripe_price_id);
    if (unpriced.length)
      throw new ConfigError(
        `Paid plans need a stripe_price_id when STRIPE_SECRET_KEY is set: ${unpriced.map((p) => p.id).join(', ')}`,
      );
  }
  const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
  if (!levels.includes(config.logLevel))
    throw new ConfigError(`LOG_LEVEL must be one of ${levels.join(', ')}`);
  return Object.freeze(config);
}

function keyId(key: Buffer): string {
  // A short fingerprint of the key: lets a ciphertext name the key it was sealed with (rotation).
  return createHash('sha256').update('openarky-key-id').update(key).digest('hex').slice(0, 8);
}
