import type { FastifyInstance, InjectOptions } from 'fastify';
import { randomBytes } from 'node:crypto';

export interface Caller {
  headers: Record<string, string>;
  accountId?: string;
  email?: string;
}

/** `app.inject` with a caller's headers; returns status and parsed body. */
export async function call(
  app: FastifyInstance,
  caller: Caller | null,
  opts: InjectOptions & { url: string },
) {
  const res = await app.inject({ ...opts, headers: { ...(caller?.headers ?? {}), ...(opts.headers ?? {}) } });
  let body: any = null;
  try {
    body = res.json();
  } catch {
    body = res.body;
  }
  return { status: res.statusCode, body, headers: res.headers };
}

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}@example.com`;
}

/** Registers an account and returns a caller holding its access token. */
export async function registerAccount(
  app: FastifyInstance,
  email = uniqueEmail(),
  password = 'correct horse battery',
): Promise<Caller & { refresh: string }> {
  const res = await call(app, null, {
    method: 'POST',
    url: '/v1/auth/register',
    payload: { email, password },
  });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  const me = await call(
    app,
    { headers: { authorization: `Bearer ${res.body.access_token}` } },
    { url: '/v1/accounts/me' },
  );
  return {
    headers: { authorization: `Bearer ${res.body.access_token}` },
    accountId: me.body.id,
    email,
    refresh: res.body.refresh_token,
  };
}

/** Creates a store owned by `owner`; returns its id. */
export async function createStore(
  app: FastifyInstance,
  owner: Caller,
  key = `store-${randomBytes(3).toString('hex')}`,
): Promise<string> {
  const res = await call(app, owner, {
    method: 'POST',
    url: '/v1/stores',
    payload: {
      key,
      timezone: 'Europe/Paris',
      billing_email: 'billing@example.com',
      languages: [{ id: 'en' }, { id: 'fr' }],
    },
  });
  if (res.status !== 201) throw new Error(`createStore failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

/** Creates an API key for the caller's account and returns a caller using it via X-API-Key. */
export async function createApiKey(
  app: FastifyInstance,
  owner: Caller,
  name = 'test',
): Promise<Caller & { keyId: string; value: string }> {
  const me = await call(app, owner, { url: '/v1/accounts/me' });
  const tokens = [...me.body.api_tokens.map((t: { id: string }) => ({ id: t.id })), { id: null, name }];
  const res = await call(app, owner, { method: 'PUT', url: '/v1/accounts', payload: { api_tokens: tokens } });
  const created = res.body.newly_created_tokens[0];
  return {
    headers: { 'x-api-key': created.value },
    accountId: owner.accountId,
    keyId: created.id,
    value: created.value,
  };
}

/** A file part for `uploadFiles`. */
export interface UploadPart {
  name: string;
  type: string;
  data: Uint8Array;
}

/** POSTs `multipart/form-data` (`files` parts, `urls` text parts) to the media route, as a browser would. */
export async function uploadFiles(
  app: FastifyInstance,
  caller: Caller | null,
  storeId: string,
  files: UploadPart[],
  urls: string[] = [],
) {
  const form = new FormData();
  for (const f of files) form.append('files', new Blob([new Uint8Array(f.data)], { type: f.type }), f.name);
  for (const u of urls) form.append('urls', u);
  const encoded = new Response(form);
  const payload = Buffer.from(await encoded.arrayBuffer());
  return call(app, caller, {
    method: 'POST',
    url: `/v1/stores/${storeId}/media`,
    payload,
    headers: { 'content-type': encoded.headers.get('content-type')! },
  });
}
