import { createHmac, randomBytes } from 'node:crypto';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** A new signing secret in the Standard Webhooks form: `whsec_` + base64 of 24 random bytes. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/**
 * The HMAC key of a secret (CONTRACT §10.1): a `whsec_` secret's remainder is the base64 key;
 * any other secret (or a `whsec_` one whose remainder is not base64) is used as its UTF-8 bytes.
 */
export function signingKey(secret: string): Buffer {
  if (secret.startsWith('whsec_')) {
    const rest = secret.slice('whsec_'.length);
    if (rest.length && BASE64.test(rest)) return Buffer.from(rest, 'base64');
  }
  return Buffer.from(secret, 'utf8');
}

/** `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">` (Standard Webhooks). */
export function sign(secret: string, id: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', signingKey(secret)).update(`${id}.${timestamp}.${body}`).digest('base64');
  return `v1,${mac}`;
}

/** The Standard Webhooks headers of one attempt. */
export function signatureHeaders(secret: string | null, id: string, body: string): Record<string, string> {
  const timestamp = Math.floor(Date.now() / 1000);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    ...(secret ? { 'webhook-signature': sign(secret, id, timestamp, body) } : {}),
  };
}
