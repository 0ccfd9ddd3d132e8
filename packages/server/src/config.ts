import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve, join } from 'node:path';

/** Thrown when configuration is invalid; main prints the message and exits. */
export class ConfigError extends Error {}

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

export interface PlanConfig {
  id: string;
  name: string;
  tier: string;
  amount: number;
  currency: string;
  interval: 'month' | 'year';
  interval_count: number;
  trial_period_days: number;
  features: string[];
  /** Stripe Price the plan is billed with (paid plans, when platform billing is on). */
  stripe_price_id: string | null;
}

const DEFAULT_PLANS: PlanConfig[] = [
  {
    id: 'plan_free',
    name: 'Free',
    tier: 'free',
    amount: 0,
    currency: 'USD',
    interval: 'month',
    interval_count: 1,
    trial_period_days: 0,
    features: ['1 store', 'Unlimited products', 'Bookings', 'CMS'],
    stripe_price_id: null,
  },
  {
    id: 'plan_pro',
    name: 'Pro',
    tier: 'pro',
    amount: 2900,
    currency: 'USD',
    interval: 'month',
    interval_count: 1,
    trial_period_days: 14,
    features: ['Everything in Free', 'Webhooks', 'Integrations', 'Priority support'],
    stripe_price_id: null,
  },
];

function plans(env: Env): PlanConfig[] {
  const raw = env.SUBSCRIPTION_PLANS?.trim();
  if (!raw)
    return DEFAULT_PLANS.map((p) =>
      p.amount > 0 ? { ...p, stripe_price_id: env.STRIPE_PRO_PRICE_ID?.trim() || null } : p,
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError('SUBSCRIPTION_PLANS must be a JSON array of plans');
  }
  if (!Array.isArray(parsed)) throw new ConfigError('SUBSCRIPTION_PLANS must be a JSON array of plans');
  return parsed.map((p: Partial<PlanConfig>, i) => {
    if (
      typeof p.id !== 'string' ||
      typeof p.name !== 'string' ||
      !Number.isInteger(p.amount) ||
      (p.amount ?? -1) < 0
    ) {
      throw new ConfigError(`SUBSCRIPTION_PLANS[${i}] needs id, name and a whole non-negative amount`);
    }
    return {
      id: p.id,
      name: p.name,
      tier: p.tier ?? p.id,
      amount: p.amount!,
      currency: (p.currency ?? 'USD').toUpperCase(),
      interval: p.interval === 'year' ? 'year' : 'month',
      interval_count: p.interval_count ?? 1,
      trial_period_days: p.trial_period_days ?? 0,
      features: Array.isArray(p.features) ? p.features.map(String) : [],
      stripe_price_id:
        typeof p.stripe_price_id === 'string' && p.stripe_price_id.trim() ? p.stripe_price_id.trim() : null,
    };
  });
}

/** One documented variable: name, meaning and default, used for the README table and validation. */
export interface VariableDoc {
  name: string;
  default: string;
  description: string;
}

export const VARIABLES: VariableDoc[] = [
  { name: 'NODE_ENV', default: 'development', description: '`development`, `test` or `production`.' },
  { name: 'PORT', default: '8000', description: 'HTTP port.' },
  { name: 'HOST', default: '0.0.0.0', description: 'Interface to listen on.' },
  {
    name: 'DATA_DIR',
    default: './data',
    description: 'Embedded database, generated development secrets and local media.',
  },
  {
    name: 'DATABASE_URL',
    default: '(unset: SQLite in DATA_DIR)',
    description: '`postgres://user:pass@host:5432/db` to use PostgreSQL.',
  },
  { name: 'DATABASE_POOL_MAX', default: '10', description: 'PostgreSQL connections per process.' },
  {
    name: 'SEED_DEMO',
    default: 'true (false in production)',
    description: 'Create a demo store when the database is empty. Never in production.',
  },
  {
    name: 'JWT_SECRET',
    default: 'generated in development',
    description: 'HS256 signing key, at least 32 characters. Required in production.',
  },
  {
    name: 'ENCRYPTION_KEY',
    default: 'generated in development',
    description: '32 bytes, base64 or hex: encrypts secrets at rest. Required in production.',
  },
  {
    name: 'ENCRYPTION_KEY_PREVIOUS',
    default: '(unset)',
    description:
      'The key ENCRYPTION_KEY replaced (same format): secrets sealed with it still open; `openarky secrets rotate` re-seals them under the new key.',
  },
  {
    name: 'PASSWORD_HASH_COST',
    default: '17',
    description:
      'log2 of scrypt N for password hashes (17 = OWASP, 128 MiB per hash); older hashes are upgraded at the next login. Tests use a lower value to stay fast.',
  },
  {
    name: 'MIGRATE_ON_START',
    default: 'true',
    description: 'Apply pending migrations when a process starts; `false` leaves them to `openarky migrate`.',
  },
  {
    name: 'RATE_LIMIT_MAX',
    default: '1200 (0 when NODE_ENV=test)',
    description:
      'Global flood limit: requests per window per client IP and per API key, counted in each process (429 `rate_limited` above); 0 turns it off.',
  },
  { name: 'RATE_LIMIT_WINDOW_SECONDS', default: '60', description: 'Window of RATE_LIMIT_MAX.' },
  {
    name: 'METRICS_TOKEN',
    default: '(unset: /metrics open)',
    description: 'Bearer token GET /metrics requires when set.',
  },
  {
    name: 'OTEL_EXPORTER_OTLP_ENDPOINT',
    default: '(unset: no tracing)',
    description:
      'OTLP/HTTP collector base URL (e.g. `http://otel-collector:4318`): traces of HTTP requests, database queries and outbound calls are sent to `<url>/v1/traces`.',
  },
  { name: 'OTEL_SERVICE_NAME', default: 'openarky', description: 'Service name on exported traces.' },
  {
    name: 'BODY_LIMIT_BYTES',
    default: '1048576',
    description: 'Largest JSON body accepted (413 `payload_too_large` above).',
  },
  { name: 'LOG_LEVEL', default: 'info', description: '`fatal` … `trace`, or `silent`.' },
  {
    name: 'PUBLIC_URL',
    default: 'http://localhost:PORT',
    description: 'Base URL the server is reached at (docs, media URLs).',
  },
  {
    name: 'TRUST_PROXY',
    default: 'false',
    description: 'Trust `X-Forwarded-*` headers (behind a load balancer).',
  },
  {
    name: 'JOB_POLL_INTERVAL_MS',
    default: '1000',
    description: 'How often each process looks for due background work.',
  },
  {
    name: 'PROCESS_ROLE',
    default: 'all',
    description:
      '`all` serves HTTP and runs background jobs; `web` only serves HTTP; `worker` only runs jobs and pollers (HTTP: `/healthz`, `/readyz`, `/metrics`; other routes 404).',
  },
  {
    name: 'SHUTDOWN_TIMEOUT_MS',
    default: '10000',
    description: 'How long SIGTERM waits for in-flight requests and jobs.',
  },
  { name: 'ACCESS_TOKEN_TTL_SECONDS', default: '3600', description: 'Lifetime of access JWTs.' },
  {
    name: 'REFRESH_TOKEN_TTL_SECONDS',
    default: '2592000',
    description: 'Lifetime of refresh tokens (30 days).',
  },
  {
    name: 'SMTP_URL',
    default: '(unset)',
    description: '`smtp://user:pass@host:port` for login codes; unset in development logs codes instead.',
  },
  { name: 'SMTP_FROM', default: 'OpenArky <no-reply@localhost>', description: 'Sender of outgoing email.' },
  {
    name: 'PLATFORM_SUPER_ADMINS',
    default: '(empty)',
    description: 'Comma-separated emails that act as `super` on every store.',
  },
  {
    name: 'SUBSCRIPTION_PLANS',
    default: 'Free and Pro',
    description:
      'JSON array of platform plans `{ id, name, amount, currency, interval, features, stripe_price_id }`; paid plans need `stripe_price_id` when STRIPE_SECRET_KEY is set.',
  },
  {
    name: 'STRIPE_PRO_PRICE_ID',
    default: '(unset)',
    description: 'Stripe Price of the default Pro plan (when SUBSCRIPTION_PLANS is not set).',
  },
  {
    name: 'STRIPE_API_URL',
    default: 'https://api.stripe.com',
    description:
      'Stripe API base URL used by the official client for card payments and billing (a local stand-in in tests).',
  },
  {
    name: 'STRIPE_SECRET_KEY',
    default: '(unset: billing off)',
    description:
      'Platform Stripe secret key for paid plans (Checkout, Billing Portal). Unset: paid plans answer `billing_disabled`.',
  },
  {
    name: 'STRIPE_WEBHOOK_SECRET',
    default: '(unset)',
    description:
      'Signing secret of the platform billing webhook `POST /v1/platform/billing/stripe/webhook`; required with STRIPE_SECRET_KEY.',
  },
  {
    name: 'WEBHOOK_RETRY_BASE_SECONDS',
    default: '30',
    description: 'First webhook retry delay; retries back off from it (≈30 s, 2 min, 10 min … 12 h).',
  },
  {
    name: 'GOOGLE_OAUTH_TOKEN_URL',
    default: 'https://oauth2.googleapis.com/token',
    description: 'Where OAuth connect exchanges Google authorization codes.',
  },
  {
    name: 'GOOGLE_OAUTH_REVOKE_URL',
    default: 'https://oauth2.googleapis.com/revoke',
    description: 'Where OAuth disconnect revokes Google tokens.',
  },
  {
    name: 'GOOGLE_CLIENT_ID',
    default: '(unset)',
    description: 'Server-wide Google OAuth client id, for stores without their own `google` integration.',
  },
  { name: 'GOOGLE_CLIENT_SECRET', default: '(unset)', description: 'Secret of GOOGLE_CLIENT_ID.' },
  {
    name: 'OUTBOUND_ALLOWED_HOSTS',
    default: '(empty)',
    description: 'Comma-separated hosts outbound requests may reach even if private (e.g. `127.0.0.1`).',
  },
  {
    name: 'MEDIA_STORAGE',
    default: 'disk',
    description: '`disk` (files under DATA_DIR/media, served at /media) or `s3` (any S3-compatible store).',
  },
  {
    name: 'MEDIA_MAX_BYTES',
    default: '52428800',
    description: 'Largest uploaded or imported file (413 `payload_too_large` above).',
  },
  {
    name: 'MEDIA_ALLOWED_TYPES',
    default: 'images, PDF, MP4/WebM, MP3',
    description: 'Comma-separated MIME types accepted for upload; `image/*` style wildcards allowed.',
  },
  {
    name: 'S3_BUCKET',
    default: '(unset)',
    description: 'Bucket for media when MEDIA_STORAGE=s3 (required then).',
  },
  {
    name: 'S3_ENDPOINT',
    default: '(AWS)',
    description: 'Endpoint of an S3-compatible store, e.g. `https://s3.example.com` or a MinIO URL.',
  },
  { name: 'S3_REGION', default: 'us-east-1', description: 'Region sent to the S3 store.' },
  { name: 'S3_ACCESS_KEY_ID', default: '(AWS default chain)', description: 'S3 access key id.' },
  { name: 'S3_SECRET_ACCESS_KEY', default: '(AWS default chain)', description: 'S3 secret key.' },
  {
    name: 'S3_FORCE_PATH_STYLE',
    default: 'false',
    description:
      '`true` for stores that need `endpoint/bucket/key` addressing (MinIO and most self-hosted ones).',
  },
  {
    name: 'S3_PUBLIC_URL',
    default: '(endpoint/bucket)',
    description: 'Public base URL of the bucket (CDN); media URLs are `S3_PUBLIC_URL/<key>`.',
  },
];

type Env = Record<string, string | undefined>;

function processRole(env: Env): ProcessRole {
  const raw = env.PROCESS_ROLE?.trim().toLowerCase() || 'all';
  const role = PROCESS_ROLES.find((r) => r === raw);
  if (!role) throw new ConfigError(`PROCESS_ROLE must be one of ${PROCESS_ROLES.join(', ')}, got "${raw}"`);
  return role;
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw.trim())) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max)
    throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['true', '1', 'yes'].includes(raw)) return true;
  if (['false', '0', 'no'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${env[name]}"`);
}

function list(env: Env, name: string): string[] {
  return (env[name] ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
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

function stripeConfig(env: Env): Pick<Config, 'stripeApiUrl' | 'stripeSecretKey' | 'stripeWebhookSecret'> {
  const stripeApiUrl = (env.STRIPE_API_URL?.trim() || 'https://api.stripe.com').replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+$/.test(stripeApiUrl))
    throw new ConfigError('STRIPE_API_URL must be an http(s) origin such as https://api.stripe.com');
  const stripeSecretKey = env.STRIPE_SECRET_KEY?.trim() || null;
  const stripeWebhookSecret = env.STRIPE_WEBHOOK_SECRET?.trim() || null;
  if (stripeSecretKey && !/^(sk|rk)_/.test(stripeSecretKey))
    throw new ConfigError('STRIPE_SECRET_KEY must be a Stripe secret key (sk_… or rk_…)');
  if (stripeSecretKey && !stripeWebhookSecret)
    throw new ConfigError(
      'STRIPE_WEBHOOK_SECRET must be set with STRIPE_SECRET_KEY (it verifies the billing webhook)',
    );
  return { stripeApiUrl, stripeSecretKey, stripeWebhookSecret };
}

export interface MediaConfig {
  readonly storage: 'disk' | 's3';
  readonly maxBytes: number;
  /** Exact types or `type/*` wildcards. */
  readonly allowedTypes: readonly string[];
  readonly s3: {
    readonly bucket: string;
    readonly endpoint: string | null;
    readonly region: string;
    readonly accessKeyId: string | null;
    readonly secretAccessKey: string | null;
    readonly forcePathStyle: boolean;
    readonly publicUrl: string | null;
  } | null;
}

const DEFAULT_MEDIA_TYPES =
  'image/jpeg,image/png,image/webp,image/gif,image/avif,application/pdf,video/mp4,video/webm,audio/mpeg';

function mediaConfig(env: Env): MediaConfig {
  const storage = (env.MEDIA_STORAGE?.trim().toLowerCase() || 'disk') as 'disk' | 's3';
  if (storage !== 'disk' && storage !== 's3')
    throw new ConfigError(`MEDIA_STORAGE must be disk or s3, got "${env.MEDIA_STORAGE}"`);
  const allowedTypes = (env.MEDIA_ALLOWED_TYPES?.trim() || DEFAULT_MEDIA_TYPES)
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean);
  for (const t of allowedTypes)
    if (!/^[a-z0-9.+-]+\/([a-z0-9.+-]+|\*)$/.test(t))
      throw new ConfigError(`MEDIA_ALLOWED_TYPES: "${t}" is not a MIME type`);
  const bucket = env.S3_BUCKET?.trim() || '';
  if (storage === 's3' && !bucket) throw new ConfigError('S3_BUCKET must be set when MEDIA_STORAGE=s3');
  const url = (name: string) => {
    const v = env[name]?.trim().replace(/\/+$/, '') || null;
    if (v && !/^https?:\/\//.test(v)) throw new ConfigError(`${name} must be an http(s) URL`);
    return v;
  };
  return {
    storage,
    maxBytes: int(env, 'MEDIA_MAX_BYTES', 50 * 1024 * 1024, 1024, 5 * 1024 * 1024 * 1024),
    allowedTypes,
    s3: bucket
      ? {
          bucket,
          endpoint: url('S3_ENDPOINT'),
          region: env.S3_REGION?.trim() || 'us-east-1',
          accessKeyId: env.S3_ACCESS_KEY_ID?.trim() || null,
          secretAccessKey: env.S3_SECRET_ACCESS_KEY?.trim() || null,
          forcePathStyle: bool(env, 'S3_FORCE_PATH_STYLE', false),
          publicUrl: url('S3_PUBLIC_URL'),
        }
      : null,
  };
}

function keyId(key: Buffer): string {
  // A short fingerprint of the key: lets a ciphertext name the key it was sealed with (rotation).
  return createHash('sha256').update('openarky-key-id').update(key).digest('hex').slice(0, 8);
}
