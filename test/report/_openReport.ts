/**
 * Opens a report file in headless Chromium the way the report suites check it: a fresh browser, one page of the
 * given size with a 5 s default timeout, and every URL the page requests noted in `requested` (a report loads
 * nothing but itself).
 */
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Chromium's flags for a headless run on a CI machine, with no network of its own. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
];

export async function openReport(
  executablePath: string,
  file: string,
  viewport: { width: number; height: number },
  requested: string[],
): Promise<{ browser: Browser; page: Page }> {
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport });
  page.setDefaultTimeout(5000);
  page.on('request', (r) => requested.push(r.url()));
  await page.goto(pathToFileURL(file).href);
  return { browser, page };
}
