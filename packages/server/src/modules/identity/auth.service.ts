import type { AuthToken } from '@openarky/contract';
import { untracked, withTx, type Ctx } from '../../lib/context.ts';
import { dummyPasswordHash, hashPassword, passwordNeedsRehash, verifyPassword } from '../../lib/crypto.ts';
import { AppError, alreadyExists } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { isUniqueViolation } from '../../db/create-db.ts';
import { findAccountByEmail, insertAccount, normalizeEmail } from './account.repo.ts';
import { issueTokens } from './session.service.ts';
import { hitRateLimit } from './rate-limit.ts';

export interface RegisterInput {
  email: string;
  password: string;
  first_name?: string | undefined;
  last_name?: string | undefined;
}

/** Creates a password account and logs it in. */
export async function register(ctx: Ctx, input: RegisterInput): Promise<AuthToken> {
  const email = normalizeEmail(input.email);
  const passwordHash = await hashPassword(input.password, ctx.config.passwordHashCost);
  const id = newId('acc');
  const now = ctx.now();
  try {
    // One phase: the account and its first session commit together (and replay together). The
    // email check is inside it: a retry after a crash must get the recorded answer, not a 409 for
    // the account its own first attempt created.
    return await withTx(ctx, async (tx) => {
      if (await findAccountByEmail(tx.db, email))
        throw alreadyExists('email', 'An account with this email already exists');
      await insertAccount(tx.db, {
        id,
        email,
        password_hash: passwordHash,
        provider: 'EMAIL',
        confirmed: 0,
        created_at: now,
        last_login_at: now,
        first_name: input.first_name ?? null,
        last_name: input.last_name ?? null,
      });
      return issueTokens(tx, id, { verified: false });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw alreadyExists('email', 'An account with this email already exists');
    throw error;
  }
}

const LOGIN_LIMIT = { perEmail: 10, perIp: 50, windowSeconds: 600 };

/** Email + password login; rate-limited per email and per IP. */
export async function login(
  ctx: Ctx,
  input: { email: string; password: string },
  ip: string,
): Promise<AuthToken> {
  const email = normalizeEmail(input.email);
  const now = ctx.now();
  // Rate-limit counters count attempts (a retry is one more): bookkeeping, not the login's result.
  await hitRateLimit(
    untracked(ctx),
    now,
    `login:email:${email}`,
    LOGIN_LIMIT.perEmail,
    LOGIN_LIMIT.windowSeconds,
  );
  await hitRateLimit(untracked(ctx), now, `login:ip:${ip}`, LOGIN_LIMIT.perIp, LOGIN_LIMIT.windowSeconds);
  const account = await findAccountByEmail(ctx.db, email);
  // Hash even when there is no account, so response time does not reveal which emails exist.
  const ok = await verifyPassword(
    input.password,
    account?.password_hash ?? (await dummyPasswordHash(ctx.config.passwordHashCost)),
  );
  if (!account || !account.password_hash || !ok) {
    throw new AppError('invalid_credentials', 'Email or password is wrong');
  }
  // A hash made with older (weaker) parameters is replaced now, while the password is at hand.
  const rehash = passwordNeedsRehash(account.password_hash, ctx.config.passwordHashCost)
    ? { password_hash: await hashPassword(input.password, ctx.config.passwordHashCost) }
    : {};
  return withTx(ctx, async (tx) => {
    await tx.db
      .updateTable('accounts')
      .set({ last_login_at: now, ...rehash })
      .where('id', '=', account.id)
      .execute();
    return issueTokens(tx, account.id, { verified: account.confirmed === 1 });
  });
}
