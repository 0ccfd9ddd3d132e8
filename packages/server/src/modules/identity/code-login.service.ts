import type { AuthToken } from '@openarky/contract';
import { isUniqueViolation } from '../../db/create-db.ts';
import { withTx, type Ctx } from '../../lib/context.ts';
import { newId } from '../../lib/ids.ts';
import { findAccountByEmail, insertAccount, normalizeEmail } from './account.repo.ts';
import { consumeEmailCode, invalidCode, limitCodeVerification, sendEmailCode } from './email-code.service.ts';
import { issueTokens } from './session.service.ts';

/** `POST /v1/auth/code` and the store-branded variant: always `{ sent: true }`. */
export async function requestLoginCode(
  ctx: Ctx,
  input: { email: string; store_id?: string | undefined },
  ip: string,
) {
  await sendEmailCode(ctx, { email: input.email, purpose: 'account', storeId: input.store_id ?? null, ip });
  return { sent: true as const };
}

/**
 * Logs in with an email code; the first successful code creates the account (provider EMAIL).
 * The email is then proven: `confirmed` and the session's `is_verified` become true.
 */
export async function verifyLoginCode(
  ctx: Ctx,
  input: { email: string; code: string },
  ip: string,
): Promise<AuthToken> {
  await limitCodeVerification(ctx, ip);
  const email = normalizeEmail(input.email);
  const attempt = async () =>
    withTx(ctx, async (tx) => {
      if (!(await consumeEmailCode(tx, { email, code: input.code, purpose: 'account', storeId: null })))
        return null;
      const now = ctx.now();
      let account = await findAccountByEmail(tx.db, email);
      if (!account) {
        await insertAccount(tx.db, {
          id: newId('acc'),
          email,
          password_hash: null,
          provider: 'EMAIL',
          confirmed: 1,
          created_at: now,
        });
        account = (await findAccountByEmail(tx.db, email))!;
      }
      await tx.db
        .updateTable('accounts')
        .set({ confirmed: 1, last_login_at: now, updated_at: now })
        .where('id', '=', account.id)
        .execute();
      return issueTokens(tx, account.id, { verified: true });
    });
  let token: AuthToken | null;
  try {
    token = await attempt();
  } catch (error) {
    // Another request created the account between our read and insert (the code was rolled back): once more.
    if (!isUniqueViolation(error)) throw error;
    token = await attempt();
  }
  if (!token) throw invalidCode();
  return token;
}
