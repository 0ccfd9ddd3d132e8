import { decodeJwt } from 'jose';
import type { Integration } from '@openarky/contract';
import { withTx, type StoreCtx } from '../../lib/context.ts';
import { AppError, validationError } from '../../lib/errors.ts';
import { undici } from '../../lib/outbound.ts';
import { newId } from '../../lib/ids.ts';
import { providerDef } from './integration.registry.ts';
import { readRow, toColumns, type SplitProvider } from './integration.fields.ts';
import { toIntegration } from './integration.mapper.ts';

const TIMEOUT_MS = 10_000;

function requireGoogle(provider: string): void {
  if (provider.trim().toLowerCase() !== 'google') {
    throw validationError({
      field: 'provider',
      reason: 'invalid_value',
      message: 'provider must be google (the only OAuth provider in v1)',
    });
  }
}

async function postForm(
  url: string,
  form: Record<string, string>,
): Promise<{ status: number; json: Record<string, unknown> | null }> {
  const res = await undici().request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(form).toString(),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const text = await res.body.text();
  let json: Record<string, unknown> | null = null;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = null;
  }
  return { status: res.statusCode, json };
}

function providerError(message: string, reason?: string): AppError {
  return new AppError('provider_error', message, { provider: 'google', ...(reason ? { reason } : {}) });
}

/**
 * Exchanges an authorization code at Google's token endpoint (CONTRACT §10.4) with the client
 * credentials of the store's `google` integration (else the server's), and stores the tokens
 * sealed on that integration, creating it (key `google`) when there is none.
 */
export async function oauthConnect(
  ctx: StoreCtx,
  input: { provider: string; code: string; redirect_uri: string },
): Promise<Integration> {
  requireGoogle(input.provider);
  const existing = await ctx.db
    .selectFrom('integrations')
    .selectAll()
    .where('store_id', '=', ctx.store.id)
    .where('type', '=', 'google')
    .orderBy('created_at')
    .executeTakeFirst();
  const current: SplitProvider = existing
    ? readRow(existing, ctx.config)
    : { def: providerDef('google')!, config: {}, secrets: {} };
  const clientId = (current.config.client_id as string | undefined) ?? ctx.config.googleClientId;
  const clientSecret = current.secrets.client_secret ?? ctx.config.googleClientSecret;
  if (!clientId || !clientSecret) {
    throw validationError({
      field: 'provider',
      reason: 'not_configured',
      message: 'Create a google integration with client_id and client_secret first',
    });
  }

  let answer: Awaited<ReturnType<typeof postForm>>;
  try {
    answer = await postForm(ctx.config.googleTokenUrl, {
      grant_type: 'authorization_code',
      code: input.code,
      redirect_uri: input.redirect_uri,
      client_id: clientId,
      client_secret: clientSecret,
    });
  } catch {
    throw providerError('Google could not be reached to exchange the authorization code');
  }
  const tokens = answer.json;
  if (answer.status < 200 || answer.status >= 300 || !tokens || typeof tokens.access_token !== 'string') {
    const reason = typeof tokens?.error === 'string' ? tokens.error.slice(0, 100) : `http_${answer.status}`;
    throw providerError(`Google refused the authorization code (${reason})`, reason);
  }

  const now = ctx.now();
  let email: string | null = null;
  if (typeof tokens.id_token === 'string') {
    try {
      const claims = decodeJwt(tokens.id_token);
      email = typeof claims.email === 'string' ? claims.email : null;
    } catch {
      email = null; // An unreadable id_token only costs us the account email.
    }
  }
  const next: SplitProvider = {
    def: current.def,
    config: {
      ...current.config,
      ...(typeof tokens.scope === 'string' ? { scopes: tokens.scope.split(/\s+/).filter(Boolean) } : {}),
      ...(typeof tokens.expires_in === 'number'
        ? { token_expires_at: now + Math.floor(tokens.expires_in) }
        : {}),
      ...(email ? { account_email: email } : {}),
      connected_at: now,
    },
    secrets: {
      ...current.secrets,
      access_token: tokens.access_token,
      ...(typeof tokens.refresh_token === 'string' ? { refresh_token: tokens.refresh_token } : {}),
    },
  };
  return withTx(ctx, async (tx) => {
    if (existing) {
      await tx.db
        .updateTable('integrations')
        .set({ ...toColumns(next, ctx.config), updated_at: now })
        .where('id', '=', existing.id)
        .execute();
      return toIntegration(
        await tx.db
          .selectFrom('integrations')
          .selectAll()
          .where('id', '=', existing.id)
          .executeTakeFirstOrThrow(),
      );
    }
    const row = {
      id: newId('int'),
      store_id: ctx.store.id,
      key: 'google',
      ...toColumns(next, ctx.config),
      created_at: now,
      updated_at: now,
    };
    await tx.db.insertInto('integrations').values(row).execute();
    return toIntegration(row);
  });
}

/** Revokes the tokens at Google (best effort) and removes them, keeping the client credentials. */
export async function oauthDisconnect(
  ctx: StoreCtx,
  input: { provider: string },
): Promise<{ disconnected: true }> {
  requireGoogle(input.provider);
  const rows = await ctx.db
    .selectFrom('integrations')
    .selectAll()
    .where('store_id', '=', ctx.store.id)
    .where('type', '=', 'google')
    .execute();
  const cleared: { id: string; columns: ReturnType<typeof toColumns> }[] = [];
  for (const row of rows) {
    const p = readRow(row, ctx.config);
    const token = p.secrets.refresh_token ?? p.secrets.access_token;
    if (token) {
      try {
        const res = await postForm(ctx.config.googleRevokeUrl, { token });
        if (res.status >= 300)
          ctx.log.warn({ integration: row.id, status: res.status }, 'google token revocation refused');
      } catch {
        ctx.log.warn({ integration: row.id }, 'google token revocation failed');
      }
    }
    const { access_token: _a, refresh_token: _r, ...secrets } = p.secrets;
    const { token_expires_at: _e, account_email: _m, connected_at: _c, ...config } = p.config;
    cleared.push({ id: row.id, columns: toColumns({ def: p.def, config, secrets }, ctx.config) });
  }
  // Revocation above is idempotent at Google; the removal is one recorded phase.
  await withTx(ctx, async (tx) => {
    for (const { id, columns } of cleared)
      await tx.db
        .updateTable('integrations')
        .set({ ...columns, updated_at: tx.now() })
        .where('id', '=', id)
        .execute();
  });
  return { disconnected: true };
}
