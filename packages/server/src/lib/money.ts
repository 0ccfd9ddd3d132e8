/**
 * Integer money arithmetic. Amounts are whole minor units; rates are basis points (100 = 1 %).
 * Division rounds half away from zero, computed exactly on integers (no floating-point drift).
 */
export function divRound(numerator: number, denominator: number): number {
  if (!Number.isSafeInteger(numerator) || !Number.isSafeInteger(denominator) || denominator === 0) {
    throw new RangeError(
      `divRound needs safe integers and a non-zero denominator (${numerator}/${denominator})`,
    );
  }
  const sign = Math.sign(numerator) * Math.sign(denominator);
  const n = BigInt(Math.abs(numerator));
  const d = BigInt(Math.abs(denominator));
  const q = (2n * n + d) / (2n * d);
  return sign * Number(q);
}

/** `amount × bps / 10000`, rounded half away from zero. */
export function applyBps(amount: number, bps: number): number {
  return divRound(amount * bps, 10_000);
}

/**
 * Splits a non-negative `total` over `weights` pro rata: each share is rounded down and the
 * remainder goes to the last positive weight, so shares are never negative and always add up to
 * `total` exactly.
 */
export function splitProRata(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0 || total === 0) return weights.map(() => 0);
  const shares = weights.map((w) => (w > 0 ? Number((BigInt(total) * BigInt(w)) / BigInt(sum)) : 0));
  const lastIndex = weights.reduce((last, w, i) => (w > 0 ? i : last), -1);
  const allocated = shares.reduce((a, b) => a + b, 0);
  shares[lastIndex]! += total - allocated;
  return shares;
}
