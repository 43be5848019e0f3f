/**
 * The segment filter of the HTML report in headless Chromium (playwright-core driving the system's Chromium,
 * found by test/_system.ts): choosing a segment shows exactly its rows, combines with the status buttons and
 * the text filter, a hostile label stays text, and the page asks for nothing over the network. Without
 * Chromium the suite is skipped with one printed line, or fails when EVALGATE_REQUIRE names chromium (CI).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeHtmlReport } from '../../src/report/htmlReport.js';
import { chromium as systemChromium } from '../_system.js';
import { openReport } from './_openReport.js';
import { HOSTILE_SEGMENT, SEGMENTS_OF, segmentedRun } from './_segmentedRun.js';

const chrome = systemChromium('the segment filter suite loads the report in headless Chromium');
let browser: Browser;
let page: Page;
const requested: string[] = [];

const idsIn = (segment: string) =>
  Object.entries(SEGMENTS_OF)
    .filter(([, labels]) => labels.includes(segment))
    .map(([id]) => id);

describe.skipIf(chrome.skip)('segment filter in Chromium', () => {
  beforeAll(async () => {
    const executablePath = chrome.executable();
    const dir = await mkdtemp(join(tmpdir(), 'evalgate-segments-'));
    const file = join(dir, 'report.html');
    await writeHtmlReport(await segmentedRun(), file);
    ({ browser, page } = await openReport(executablePath, file, { width: 1300, height: 1000 }, requested));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  const shown = () => page.locator('#examples-table tbody tr:not([hidden]) td.id').allTextContents();
  const select = () => page.locator('#segment-filter');

  it('shows every row until a segment is chosen', async () => {
    expect(await shown()).toEqual(Object.keys(SEGMENTS_OF));
    expect(await select().inputValue()).toBe('');
  });

  it.each(['billing', 'shipping', 'urgent', 'returns', HOSTILE_SEGMENT])(
    'segment %s: exactly its rows',
    async (segment) => {
      await select().selectOption({ value: segment });
      expect(await shown()).toEqual(idsIn(segment));
      expect(await page.locator('#shown-count').textContent()).toBe(`${idsIn(segment).length} of 9 shown`);
      await select().selectOption({ value: '' });
      expect(await shown()).toHaveLength(9);
    },
  );

  it('combines with the status buttons and the text filter', async () => {
    await select().selectOption({ value: 'billing' });
    await page.locator('#filter').fill('nope'); // e0 and e6 have the reference "nope"
    expect(await shown()).toEqual(['e0', 'e6']);
    await page.locator('#filter').fill('');
    await page.locator('button.show[data-show="failed"]').click();
    expect(await shown()).toEqual([]);
    await page.locator('button.show[data-show="all"]').click();
    expect(await shown()).toEqual(idsIn('billing'));
    await select().selectOption({ value: '' });
  });

  it('a hostile label is text: no element, no script ran; nothing was requested but the file', async () => {
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('td.segments .segment', { hasText: HOSTILE_SEGMENT }).count()).toBe(1);
    expect(requested).toEqual([page.url()]);
  });
});
