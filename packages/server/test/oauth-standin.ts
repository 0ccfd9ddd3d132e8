import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';

/**
 * A local stand-in for Google's OAuth 2.0 endpoints (RFC 6749 §4.1.3 token exchange, RFC 7009
 * revocation): issues one-time codes bound to a client and redirect URI, answers errors the way
 * Google does (`400 { error: "invalid_grant" }`).
 */
export class OAuthStandIn {
  readonly codes = new Map<string, { clientId: string; redirectUri: string; email: string }>();
  readonly revoked: string[] = [];
  readonly clients = new Map<string, string>();
  url = '';
  #server: Server | null = null;

  issueCode(clientId: string, redirectUri: string, email = 'owner@example.com'): string {
    const code = `4/0A${Math.random().toString(36).slice(2)}`;
    this.codes.set(code, { clientId, redirectUri, email });
    return code;
  }

  async start(): Promise<this> {
    this.#server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on(
        'end',
        () =>
          void this.#handle(req.url ?? '', req.headers, raw).then(([status, body]) => {
            res.writeHead(status, { 'content-type': 'application/json' });
            res.end(JSON.stringify(body));
          }),
      );
    });
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', () => resolve()));
    this.url = `http://127.0.0.1:${(this.#server!.address() as AddressInfo).port}`;
    return this;
  }

  async #handle(path: string, headers: Record<string, unknown>, raw: string): Promise<[number, unknown]> {
    if (!String(headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded'))
      return [400, { error: 'invalid_request' }];
    const form = new URLSearchParams(raw);
    if (path === '/revoke') {
      const token = form.get('token');
      if (!token) return [400, { error: 'invalid_request' }];
      this.revoked.push(token);
      return [200, {}];
    }
    if (path !== '/token') return [404, { error: 'not_found' }];
    let clientId = form.get('client_id');
    let clientSecret = form.get('client_secret');
    const basic = /^Basic (.+)$/.exec(String(headers.authorization ?? ''));
    if (basic)
      [clientId, clientSecret] = Buffer.from(basic[1]!, 'base64').toString().split(':') as [string, string];
    if (form.get('grant_type') !== 'authorization_code') return [400, { error: 'unsupported_grant_type' }];
    if (!clientId || this.clients.get(clientId) !== clientSecret)
      return [401, { error: 'invalid_client', error_description: 'The OAuth client was not found.' }];
    const code = this.codes.get(form.get('code') ?? '');
    if (!code || code.clientId !== clientId || code.redirectUri !== form.get('redirect_uri')) {
      return [400, { error: 'invalid_grant', error_description: 'Bad Request' }];
    }
    this.codes.delete(form.get('code')!);
    const id = randomish();
    const idToken = await new SignJWT({ email: code.email, email_verified: true })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('https://accounts.google.com')
      .setAudience(clientId)
      .setSubject(id)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(Buffer.alloc(32, 1));
    return [
      200,
      {
        access_token: `ya29.${randomish()}`,
        expires_in: 3599,
        refresh_token: `1//${randomish()}`,
        scope: 'openid email https://www.googleapis.com/auth/calendar',
        token_type: 'Bearer',
        id_token: idToken,
      },
    ];
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function randomish(): string {
  return Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
}
