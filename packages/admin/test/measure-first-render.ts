/**
 * Measures the sign-in page's first render in Chromium against a running server (not a test: a
 * figure for the notes). Usage: node --import tsx packages/admin/test/measure-first-render.ts http://127.0.0.1:8000
 * Prints, over 5 cold loads (fresh profile each), navigation start → first contentful paint and →
 * the sign-in heading in the DOM.
 */
import { launch } from './browser.ts';

const base = process.argv[2] ?? 'http://127.0.0.1:8000';
const runs: { fcp: number; heading: number }[] = [];
for (let i = 0; i < 5; i++) {
  const browser = await launch();
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  await page.goto(`${base}/admin/`);
  await page.getByRole('heading', { name: 'Sign in to OpenArky' }).waitFor();
  const t = await page.evaluate(() => ({
    fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
    heading: performance.now(),
  }));
  runs.push(t);
  await browser.close();
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(
  JSON.stringify({
    runs,
    median_fcp_ms: Math.round(median(runs.map((r) => r.fcp))),
    median_heading_ms: Math.round(median(runs.map((r) => r.heading))),
  }),
);
