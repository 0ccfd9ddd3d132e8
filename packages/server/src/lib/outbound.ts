import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { Agent, request } from 'undici';

/**
 * Outbound HTTP to URLs that stores give us (webhooks, deploy hooks, media import) without
 * server-side request forgery: http(s) only, and never to a private, loopback, link-local,
 * CGNAT, unique-local or metadata address — literal or after DNS resolution — unless the host is
 * listed in OUTBOUND_ALLOWED_HOSTS. The connection is pinned to the address that was checked, so
 * a DNS answer that changes between check and connect (rebinding) cannot redirect it, and
 * redirects are never followed.
 */

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15],
  ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128], ['::1', 128], ['64:ff9b::', 96], ['64:ff9b:1::', 48], ['100::', 64], ['2001::', 32], ['2001:db8::', 32],
  ['2002::', 16], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
] as const) blocked.addSubnet(net, prefix, 'ipv6');

/** The IPv4 address inside an IPv4-mapped or -compatible IPv6 address (`::ffff:127.0.0.1`), else null. */
function embeddedIpv4(address: string): string | null {
  const m = /^(?:0{0,4}:){0,5}(?:ffff:)?((?:\d{1,3}\.){3}\d{1,3})$/i.exec(address.replace(/^::/, '0:'));
  if (m?.[1]) return m[1];
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (!hex) return null;
  const hi = parseInt(hex[1]!, 16);
  const lo = parseInt(hex[2]!, 16);
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}

/** True for addresses a store's URL must not reach (private, loopback, link-local, metadata…). */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family === 6) {
    const v4 = embeddedIpv4(address);
    if (v4) return blocked.check(v4, 'ipv4');
    return blocked.check(address, 'ipv6');
  }
  return true;
}

export class OutboundError extends Error {
  constructor(
    readonly reason: 'invalid_url' | 'scheme' | 'private_address' | 'unresolvable' | 'timeout' | 'network',
    message: string,
  ) {
    super(message);
    this.name = 'OutboundError';
  }
}

export interface OutboundPolicy {
  readonly outboundAllowedHosts: readonly string[];
}

export interface CheckedTarget {
  url: URL;
  address: string;
  family: 4 | 6;
}

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

function parseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OutboundError('invalid_url', 'url is not a valid absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OutboundError('scheme', 'url must use http or https');
  if (!url.hostname) throw new OutboundError('invalid_url', 'url has no host');
  return url;
}

/**
 * Validates and resolves a URL; throws OutboundError when it may not be reached. The returned
 * address is the one to connect to. `requireResolution: false` accepts a name that does not
 * resolve yet (create time: the send-time check runs again).
 */
export async function checkOutboundUrl(raw: string, policy: OutboundPolicy, options: { requireResolution?: boolean } = {}): Promise<CheckedTarget | null> {
  const url = parseUrl(raw);
  const host = hostOf(url);
  const allowed = policy.outboundAllowedHosts.includes(host);
  const literal = isIP(host);
  if (literal) {
    if (!allowed && isPrivateAddress(host)) throw new OutboundError('private_address', 'url points to a private or reserved address');
    return { url, address: host, family: literal as 4 | 6 };
  }
  let addresses: { address: string; family: number }[];
  try {
    addresses = await lookup(host, { all: true, verbatim: true });
  } catch {
    if (options.requireResolution === false) return null;
    throw new OutboundError('unresolvable', `host ${host} does not resolve`);
  }
  if (!addresses.length) {
    if (options.requireResolution === false) return null;
    throw new OutboundError('unresolvable', `host ${host} does not resolve`);
  }
  // Every answer must be public: a name that resolves to one public and one private address is refused.
  if (!allowed && addresses.some((a) => isPrivateAddress(a.address))) {
    throw new OutboundError('private_address', `host ${host} resolves to a private or reserved address`);
  }
  const first = addresses[0]!;
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}

export interface OutboundResponse {
  status: number;
  /** At most the first 4 KiB of the body, as text. */
  body: string;
}

/** An agent whose every connection goes to the checked address, whatever DNS says now. */
export function pinnedAgent(target: CheckedTarget, timeoutMs: number): Agent {
  return new Agent({
    connect: {
      timeout: timeoutMs,
      lookup: (_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
        if (options?.all) callback(null, [{ address: target.address, family: target.family }]);
        else callback(null, target.address, target.family);
      },
    } as never,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    connections: 1,
    pipelining: 0,
  });
}

/**
 * Sends one request to a store-supplied URL after the SSRF check; no redirects are followed.
 * Throws OutboundError for refused targets, timeouts and network failures.
 */
export async function outboundRequest(
  raw: string,
  init: { method: 'POST' | 'GET'; headers?: Record<string, string>; body?: string; timeoutMs?: number },
  policy: OutboundPolicy,
): Promise<OutboundResponse> {
  const timeoutMs = init.timeoutMs ?? 10_000;
  const target = (await checkOutboundUrl(raw, policy))!;
  const agent = pinnedAgent(target, timeoutMs);
  try {
    const res = await request(target.url, {
      method: init.method,
      headers: init.headers ?? {},
      body: init.body ?? null,
      dispatcher: agent,
      // undici's request() never follows redirects: a 3xx is simply a failed delivery.
      signal: AbortSignal.timeout(timeoutMs),
    });
    let body = '';
    try {
      for await (const chunk of res.body) {
        if (body.length < 4096) body += Buffer.from(chunk as Uint8Array).toString('utf8');
      }
    } catch {
      // The status is what counts; a body cut short does not change it.
    }
    return { status: res.statusCode, body: body.slice(0, 4096) };
  } catch (error) {
    const e = error as { name?: string; code?: string; message?: string };
    if (e.name === 'TimeoutError' || e.name === 'AbortError' || /TIMEOUT/.test(e.code ?? '')) {
      throw new OutboundError('timeout', `no answer within ${Math.round(timeoutMs / 1000)} s`);
    }
    throw new OutboundError('network', `${e.code ?? 'network error'}: ${e.message ?? 'request failed'}`.slice(0, 300));
  } finally {
    void agent.close().catch(() => undefined);
  }
}
