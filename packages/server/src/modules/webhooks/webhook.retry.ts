/** Retry delays as multiples of WEBHOOK_RETRY_BASE_SECONDS: with 30 s → 30 s, 2 min, 10 min, 30 min, 1 h, 3 h, 6 h, 12 h. */
const SCHEDULE = [1, 4, 20, 60, 120, 360, 720, 1440];

/** The first attempt plus one retry per step of the schedule (≈ 22.7 h in all with the default base). */
export const MAX_ATTEMPTS = SCHEDULE.length + 1;

/** Seconds to wait after failed attempt number `attempt` (1-based), with ±20 % jitter. */
export function retryDelaySeconds(
  attempt: number,
  baseSeconds: number,
  random: () => number = Math.random,
): number {
  const step = SCHEDULE[Math.min(Math.max(attempt, 1), SCHEDULE.length) - 1]!;
  return Math.round(baseSeconds * step * (0.8 + random() * 0.4));
}
