import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: any;
}

/**
 * A local webhook receiver (a real HTTP server): records every request and answers with the
 * status `statusFor` picks for its body, else the next status of `script` (then `fallback`),
 * optionally after `delayMs`.
 */
export class WebhookReceiver {
  readonly received: Received[] = [];
  script: number[] = [];
  /** Chooses the status for one request by its body (undefined: use `script`, then `fallback`). */
  statusFor: ((json: any) => number | undefined) | null = null;
  fallback = 200;
  delayMs = 0;
  #server: Server | null = null;
  #waiters: { n: number; resolve: () => void }[] = [];
  url = '';

  async start(): Promise<this> {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let json: unknown = null;
        try {
          json = JSON.parse(body);
        } catch {
          json = null;
        }
        const status = this.statusFor?.(json) ?? (this.script.length ? this.script.shift()! : this.fallback);
        const answer = () => {
          this.received.push({ path: req.url ?? '/', headers: req.headers, body, json });
          res.writeHead(status, { 'content-type': 'text/plain' });
          res.end(status < 300 ? 'ok' : 'nope');
          this.#waiters = this.#waiters.filter((w) =>
            this.received.length >= w.n ? (w.resolve(), false) : true,
          );
        };
        if (this.delayMs) setTimeout(answer, this.delayMs);
        else answer();
      });
    });
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', () => resolve()));
    this.url = `http://127.0.0.1:${(this.#server!.address() as AddressInfo).port}`;
    return this;
  }

  /** Resolves once `n` requests have been answered (or rejects after `timeoutMs`). */
  waitFor(n: number, timeoutMs = 20_000): Promise<void> {
    if (this.received.length >= n) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`receiver got ${this.received.length} of ${n} requests`)),
        timeoutMs,
      );
      this.#waiters.push({ n, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  events(): string[] {
    return this.received.map((r) => r.json?.event as string);
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
