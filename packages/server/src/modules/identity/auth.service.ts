import type { AuthToken } from '@openarky/contract';
import type { Ctx } from '../../lib/context.ts';
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
  if (await findAccountByEmail(ctx.db, email))
    throw alreadyExists('email', 'An account with this email already exists');
  const passwordHash = await hashPassword(input.password, ctx.config.passwordHashCost);
  const id = newId('acc');
  try {
    await insertAccount(ctx.db, {
      id,
      email,
      password_hash: passwordHash,
      provider: 'EMAIL',
      confirmed: 0,
      created_at: ctx.now(),
      first_name: input.first_name ?? null,
      last_name: input.last_name ?? null,
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw alreadyExists('email', 'An account with this email already exists');
    throw error;
  }
  await ctx.db.updateTable('accounts').set({ last_login_at: ctx.now() }).where('id', '=', id).execute();
  return issueTokens(ctx, id, { verified: false });
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
  await hitRateLimit(ctx.db, now, `login:email:${email}`, LOGIN_LIMIT.perEmail, LOGIN_LIMIT.windowSeconds);
  await hitRateLimit(ctx.db, now, `login:ip:${ip}`, LOGIN_LIMIT.perIp, LOGIN_LIMIT.windowSeconds);
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
  await ctx.db
    .updateTable('accounts')
    .set({ last_login_at: now, ...rehash })
    .where('id', '=', account.id)
    .execute();
  return issueTokens(ctx, account.id, { verified: account.confirmed === 1 });
}
