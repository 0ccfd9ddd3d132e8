export { authRoutes } from './auth.routes.ts';
export {
  sendEmailCode,
  consumeEmailCode,
  invalidCode,
  limitCodeVerification,
  pruneEmailCodes,
  type CodePurpose,
} from './email-code.service.ts';
export { accountRoutes } from './account.routes.ts';
export { authenticate } from './authenticate.ts';
export { issueTokens } from './session.service.ts';
export { hitRateLimit, pruneRateLimits } from './rate-limit.ts';
export { findAccountByEmail, normalizeEmail } from './account.repo.ts';
export { register } from './auth.service.ts';
export { updateAccount } from './account.service.ts';
export { insertAccount } from './account.repo.ts';
export { identityModule } from './identity.module.ts';
