import Stripe from 'stripe';
import type { Obj } from './objects.ts';

/** The body and `Stripe-Signature` header Stripe would send for `event`, signed with `secret`. */
export function signEvent(
  event: Stripe.Event | Obj,
  secret: string,
  timestamp?: number,
): { payload: string; header: string } {
  const payload = JSON.stringify(event, null, 2);
  const header = Stripe.webhooks.generateTestHeaderString({
    payload,
    secret,
    ...(timestamp ? { timestamp } : {}),
  });
  return { payload, header };
}

/** Delivers `event` to `url` the way Stripe does (raw JSON body, signed); answers status and body. */
export async function sendEvent(
  url: string,
  event: Stripe.Event | Obj,
  secret: string,
): Promise<{ status: number; body: string }> {
  const { payload, header } = signEvent(event, secret);
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'stripe-signature': header,
      'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
    },
    body: payload,
  });
  return { status: res.status, body: await res.text() };
}
