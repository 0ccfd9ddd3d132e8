import { forUpdate } from '../../db/create-db.ts';
import { untracked, withTx, type Ctx, type Db } from '../../lib/context.ts';
import { newNumericCode, safeEqual, sha256 } from '../../lib/crypto.ts';
import { AppError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { fromJson } from '../../lib/json.ts';
import { enqueueEmail } from '../../lib/mail.ts';
import { normalizeEmail } from './account.repo.ts';
import { hitRateLimit } from './rate-limit.ts';

export type CodePurpose = 'account' | 'profile';

/** CONTRACT §3: 6 digits, 10 minutes, single use, 5 attempts, 5 requests per email per 10 minutes. */
export const CODE_RULES = {
  ttlSeconds: 600,
  maxAttempts: 5,
  perEmail: 5,
  perIp: 30,
  verifyPerIp: 60,
  windowSeconds: 600,
} as const;

/** The stored form: the code never leaves the process in clear except inside the sealed email job. */
function codeHash(email: string, purpose: CodePurpose, code: string): string {
  return sha256(`email-code:${purpose}:${email}:${code}`);
}

/** The store an email is branded with, or null (an unknown id only loses the branding). */
async function brandOf(ctx: Ctx, storeId: string | null) {
  if (!storeId) return null;
  const row = await ctx.db
    .selectFrom('stores')
    .select(['id', 'key', 'emails'])
    .where('id', '=', storeId)
    .executeTakeFirst();
  if (!row) return null;
  return { id: row.id, key: row.key, support: fromJson<{ support?: string }>(row.emails, {}).support };
}

export interface SendCodeInput {
  email: string;
  purpose: CodePurpose;
  /** Profile codes belong to a store; account codes name one only for branding. */
  storeId: string | null;
  ip: string;
}

/**
 * Issues a code and queues its email in one transaction (sent after commit). Earlier live codes of
 * the same email and purpose die, so only the newest one can be guessed at. The answer is the same
 * whether the email has an account or not.
 */
export async function sendEmailCode(ctx: Ctx, input: SendCodeInput): Promise<void> {
  const email = normalizeEmail(input.email);
  const now = ctx.now();
  const { windowSeconds } = CODE_RULES;
  await hitRateLimit(untracked(ctx), now, `code:ip:${input.ip}`, CODE_RULES.perIp, windowSeconds);
  await hitRateLimit(
    untracked(ctx),
    now,
    `code:email:${input.purpose}:${email}`,
    CODE_RULES.perEmail,
    windowSeconds,
  );
  const brand = await brandOf(ctx, input.storeId);
  const code = newNumericCode();
  const expiresAt = now + CODE_RULES.ttlSeconds;

  await withTx(ctx, async (tx) => {
    // The fixed window above is shared by every process; this also bounds a burst across its edge.
    const recent = await tx.db
      .selectFrom('email_codes')
      .select('created_at')
      .where('email', '=', email)
      .where('purpose', '=', input.purpose)
      .where('created_at', '>', now - windowSeconds)
      .orderBy('created_at')
      .execute();
    if (recent.length >= CODE_RULES.perEmail) {
      const retryAfter = Math.max(1, recent[0]!.created_at + windowSeconds - now);
      throw new AppError(
        'rate_limited',
        `Too many codes requested; try again in ${retryAfter} s`,
        { retry_after: retryAfter },
        { 'retry-after': String(retryAfter) },
      );
    }
    let live = tx.db
      .updateTable('email_codes')
      .set({ expires_at: now })
      .where('email', '=', email)
      .where('purpose', '=', input.purpose)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now);
    if (input.purpose === 'profile') live = live.where('store_id', '=', input.storeId);
    await live.execute();
    await tx.db
      .insertInto('email_codes')
      .values({
        id: newId('code'),
        email,
        purpose: input.purpose,
        // Profile codes belong to their store; an account code only names an existing store it is branded with.
        store_id: input.purpose === 'profile' ? input.storeId : (brand?.id ?? null),
        code_hash: codeHash(email, input.purpose, code),
        attempts: 0,
        expires_at: expiresAt,
        used_at: null,
        created_at: now,
      })
      .execute();
    const name = brand ? brand.key : 'OpenArky';
    await enqueueEmail(
      tx,
      {
        to: email,
        subject: `${name}: your sign-in code`,
        text: `Your ${name} sign-in code is {{code}}\n\nIt is valid for 10 minutes and can be used once. If you did not ask for it, ignore this email.\n`,
        replyTo: brand?.support,
      },
      { secrets: { code }, expiresAt },
    );
  });
}

export interface CheckCodeInput {
  email: string;
  code: string;
  purpose: CodePurpose;
  storeId: string | null;
}

/**
 * Checks and consumes the newest live code inside the caller's transaction. A wrong guess is
 * counted (the caller must commit it even though verification failed: it returns false instead of
 * throwing); after 5 wrong guesses the code is dead. The row is locked, so two concurrent correct
 * submissions cannot both succeed.
 */
export async function consumeEmailCode(tx: Ctx, input: CheckCodeInput): Promise<boolean> {
  const email = normalizeEmail(input.email);
  const now = tx.now();
  let q = tx.db
    .selectFrom('email_codes')
    .select(['id', 'code_hash', 'attempts'])
    .where('email', '=', email)
    .where('purpose', '=', input.purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .where('attempts', '<', CODE_RULES.maxAttempts)
    .orderBy('created_at', 'desc')
    .limit(1);
  if (input.purpose === 'profile') q = q.where('store_id', '=', input.storeId);
  const row = await forUpdate(tx.db, q).executeTakeFirst();
  if (!row) return false;
  if (!safeEqual(row.code_hash, codeHash(email, input.purpose, input.code))) {
    await tx.db
      .updateTable('email_codes')
      .set({ attempts: row.attempts + 1 })
      .where('id', '=', row.id)
      .execute();
    return false;
  }
  await tx.db.updateTable('email_codes').set({ used_at: now }).where('id', '=', row.id).execute();
  return true;
}

/** Per-IP ceiling on verification attempts (each code also allows only 5). */
export async function limitCodeVerification(ctx: Ctx, ip: string): Promise<void> {
  await hitRateLimit(
    untracked(ctx),
    ctx.now(),
    `code-verify:ip:${ip}`,
    CODE_RULES.verifyPerIp,
    CODE_RULES.windowSeconds,
  );
}

export const invalidCode = () => new AppError('invalid_code', 'The code is wrong, used or expired');

/** Drops codes a day past their expiry (run by the maintenance job). */
export async function pruneEmailCodes(db: Db, now: number): Promise<void> {
  await db
    .deleteFrom('email_codes')
    .where('expires_at', '<', now - 86400)
    .execute();
}
