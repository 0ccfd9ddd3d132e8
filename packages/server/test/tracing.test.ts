import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer, type ServerProcess } from './spawn.ts';

interface OtlpSpan {
  name: string;
  traceId: string;
  kind: number;
  attributes: { key: string; value: Record<string, unknown> }[];
}

/** A tiny OTLP/HTTP (JSON) collector: keeps every span it receives. */
const spans: OtlpSpan[] = [];
let collector: Server;
let server: ServerProcess;

beforeAll(async () => {
  collector = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      if (req.url === '/v1/traces') {
        const batch = JSON.parse(body) as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] };
        for (const rs of batch.resourceSpans) for (const ss of rs.scopeSpans) spans.push(...ss.spans);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => collector.listen(0, '127.0.0.1', r));
  const port = (collector.address() as AddressInfo).port;
  server = await spawnServer({
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
    OTEL_SERVICE_NAME: 'openarky-test',
    OTEL_BSP_SCHEDULE_DELAY: '100',
  });
}, 60_000);
afterAll(async () => {
  server?.child.kill('SIGTERM');
  await server?.exited;
  collector?.close();
});

const attr = (span: OtlpSpan, key: string) => span.attributes.find((a) => a.key === key)?.value;

describe('OpenTelemetry traces', () => {
  it('exports a request span with its database queries in the same trace', async () => {
    const res = await fetch(`${server.url}/v1/platform/currencies`);
    expect(res.status).toBe(200);
    const login = await fetch(`${server.url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'nobody@example.com', password: 'wrong-password-1' }),
    });
    expect(login.status).toBe(401);
    // Poll the collector (the exporter sends every 100 ms) until the login trace arrived.
    const deadline = Date.now() + 20_000;
    let request: OtlpSpan | undefined;
    let query: OtlpSpan | undefined;
    while (Date.now() < deadline) {
      request = spans.find((s) => attr(s, 'http.route')?.stringValue === '/v1/auth/login');
      query = request && spans.find((s) => s.traceId === request!.traceId && /^SELECT sqlite/.test(s.name));
      if (request && query) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(request, JSON.stringify(spans.map((s) => s.name))).toBeDefined();
    expect(query, JSON.stringify(spans.map((s) => s.name))).toBeDefined();
    expect(attr(query!, 'db.query.text')?.stringValue).toMatch(/accounts/);
  });
});
