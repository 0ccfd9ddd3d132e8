import type { FastifyInstance } from 'fastify';
import { call, type Caller } from './fixtures.ts';

export const WEEK = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

/** Monday 2030-03-11 00:00 in New York: the week after the spring-forward Sunday 2030-03-10. */
export const NY_DST_SUNDAY = Date.parse('2030-03-10T05:00:00Z') / 1000;
/** Unix time of a New York wall-clock time (offset given explicitly, e.g. `2030-03-12T10:00-04:00`). */
export const at = (iso: string) => Date.parse(iso) / 1000;

async function ok(res: Promise<{ status: number; body: any }>, status = 201) {
  const r = await res;
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

export interface LinkOptions {
  hours?: { from: number; to: number }[];
  duration?: number;
  interval?: number;
  capacity?: number;
  us?: number;
  eu?: number | null;
  reminders?: number[];
  min_advance?: number;
}

/** A service with `providers.length` providers, each linked with working hours every day of the week. */
export async function bookableService(
  app: FastifyInstance,
  owner: Caller,
  storeId: string,
  opts: LinkOptions & { key?: string; providers?: string[] } = {},
) {
  const suffix = Math.random().toString(36).slice(2, 7);
  const service = await ok(
    call(app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/services`,
      payload: { key: opts.key ?? `svc-${suffix}` },
    }),
  );
  const providers = [];
  const links = [];
  for (const name of opts.providers ?? ['ada']) {
    const provider = await ok(
      call(app, owner, {
        method: 'POST',
        url: `/v1/stores/${storeId}/providers`,
        payload: { key: `${name}-${suffix}` },
      }),
    );
    providers.push(provider);
    links.push(await link(app, owner, storeId, service.id, provider.id, opts));
  }
  return { service, providers, links };
}

/** Links a provider to a service. */
export async function link(
  app: FastifyInstance,
  owner: Caller,
  storeId: string,
  serviceId: string,
  providerId: string,
  opts: LinkOptions = {},
) {
  return ok(
    call(app, owner, {
      method: 'POST',
      url: `/v1/stores/${storeId}/service-providers`,
      payload: {
        service_id: serviceId,
        provider_id: providerId,
        working_days: WEEK.map((day) => ({ day, working_hours: opts.hours ?? [{ from: 540, to: 1020 }] })),
        specific_dates: [],
        prices: [
          { market: 'us', amount: opts.us ?? 5000 },
          ...(opts.eu === null ? [] : [{ market: 'eu', amount: opts.eu ?? 4500 }]),
        ],
        durations: [{ duration: opts.duration ?? 60 }],
        slot_interval: opts.interval ?? 0,
        capacity: opts.capacity ?? 1,
        reminders: opts.reminders ?? [],
        min_advance: opts.min_advance ?? 0,
      },
    }),
  );
}

/** Sets the store's IANA time zone. */
export async function setTimeZone(app: FastifyInstance, owner: Caller, storeId: string, timezone: string) {
  await ok(call(app, owner, { method: 'PUT', url: `/v1/stores/${storeId}`, payload: { timezone } }), 200);
}
