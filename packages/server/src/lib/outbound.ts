import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { createRequire } from 'node:module';
import type * as Undici from 'undici';
import type { Agent } from 'undici';

let undiciModule: typeof Undici | undefined;
/**
 * undici, loaded at the first outbound call (≈ 0.4 s and 13 MiB at start otherwise): most
 * processes serve requests long before they deliver a webhook or import a URL.
 */
export const undici = (): typeof Undici =>
  (undiciModule ??= createRequire(import.meta.url)('undici') as typeof Undici);

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
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 32],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const)
  blocked.addSubnet(net, prefix, 'ipv6');

/** The eight 16-bit groups of an IPv6 address (`::`, zone ids and a dotted IPv4 tail allowed). */
function ipv6Groups(address: string): number[] | null {
  let text = address.replace(/%.*$/, '').toLowerCase();
  const dotted = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const fill = 8 - head.length - tail.length;
  if (halves.length === 1 ? fill !== 0 : fill < 0) return null;
  const groups = [...head, ...Array<string>(fill).fill('0'), ...tail].map((g) => parseInt(g, 16));
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff)
    ? groups
    : null;
}

/**
 * The IPv4 address an IPv6 address carries, in every form a stack may route to it: IPv4-mapped
 * (`::ffff:a.b.c.d`), IPv4-compatible (`::a.b.c.d`), IPv4-translated (`::ffff:0:a.b.c.d`), 6to4
 * (`2002:AABB:CCDD::`) and NAT64 (`64:ff9b::a.b.c.d`, `64:ff9b:1::/48`); else null.
 */
export function embeddedIpv4(address: string): string | null {
  const g = ipv6Groups(address);
  if (!g) return null;
  const v4 = (hi: number, lo: number) => [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zeros(0, 5) && (g[5] === 0 || g[5] === 0xffff)) return v4(g[6]!, g[7]!);
  if (zeros(0, 4) && g[4] === 0xffff && g[5] === 0) return v4(g[6]!, g[7]!);
  if (g[0] === 0x2002) return v4(g[1]!, g[2]!);
  if (g[0] === 0x64 && g[1] === 0xff9b) return v4(g[6]!, g[7]!);
  return null;
}

/** True for addresses a store's URL must not reach (private, loopback, link-local, metadata…). */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family === 6) {
    // Both checks: an embedded private IPv4 is refused, and so are whole reserved IPv6 ranges
    // (6to4, NAT64, Teredo) whatever they carry.
    const v4 = embeddedIpv4(address);
    if (v4 && blocked.check(v4, 'ipv4')) return true;
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
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new OutboundError('scheme', 'url must use http or https');
  if (!url.hostname) throw new OutboundError('invalid_url', 'url has no host');
  return url;
}

/**
 * Validates and resolves a URL; throws OutboundError when it may not be reached. The returned
 * address is the one to connect to. `requireResolution: false` accepts a name that does not
 * resolve yet (create time: the send-time check runs again).
 */
export async function checkOutboundUrl(
  raw: string,
  policy: OutboundPolicy,
  options: { requireResolution?: boolean } = {},
): Promise<CheckedTarget | null> {
  const url = parseUrl(raw);
  const host = hostOf(url);
  const allowed = policy.outboundAllowedHosts.includes(host);
  const literal = isIP(host);
  if (literal) {
    if (!allowed && isPrivateAddress(host))
      throw new OutboundError('private_address', 'url points to a private or reserved address');
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
  return new (undici().Agent)({
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
    const res = await undici().request(target.url, {
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
    throw new OutboundError(
      'network',
      `${e.code ?? 'network error'}: ${e.message ?? 'request failed'}`.slice(0, 300),
    );
  } finally {
    void agent.close().catch(() => undefined);
  }
}
