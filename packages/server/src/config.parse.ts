/** Parsing helpers and the larger sections of the configuration (plans, media, Stripe). */

/** Thrown when configuration is invalid; main prints the message and exits. */
export class ConfigError extends Error {}

export type Env = Record<string, string | undefined>;

export function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw.trim())) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max)
    throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

export function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['true', '1', 'yes'].includes(raw)) return true;
  if (['false', '0', 'no'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${env[name]}"`);
}

export function list(env: Env, name: string): string[] {
  return (env[name] ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
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

export function plans(env: Env): PlanConfig[] {
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

export function stripeConfig(env: Env): {
  stripeApiUrl: string;
  stripeSecretKey: string | null;
  stripeWebhookSecret: string | null;
} {
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

export function mediaConfig(env: Env): MediaConfig {
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
