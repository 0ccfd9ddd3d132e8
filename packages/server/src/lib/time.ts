/** Current unix time in whole seconds. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

export type Clock = () => number;
export const systemClock: Clock = nowSeconds;
