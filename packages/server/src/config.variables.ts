/**
 * Every environment variable the server reads: name, default and meaning. The README's
 * configuration table must list each one (`readme.unit.test.ts`).
 */
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
