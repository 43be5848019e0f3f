/**
 * The "what changed" report in headless Chromium (playwright-core driving the system's Chromium, found by
 * test/_system.ts): a baseline and a candidate of 12 examples in 4 segments, three metrics on different scales.
 * Checks what a reader sees: each metric on its own axis, the filters, the baseline output beside the
 * candidate's, the regressed segment listed first, hostile text kept as text, and no request leaving the page.
 * Writes a screenshot and prints its path.
 */
import { existsSync, statSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeHtmlReport } from '../../src/report/htmlReport.js';
import { chromium as systemChromium } from '../_system.js';
import { XSS_ATTR, XSS_QUOTE, XSS_SCRIPT } from './_reportFixture.js';
import {
  baselineRun,
  candidateRun,
  expectedStatus,
  JUDGE,
  ROWS,
  whatChangedComparison,
  XSS_LABEL,
  XSS_SEGMENT,
} from './_whatChangedFixture.js';

const chrome = systemChromium('the "what changed" report suite loads the report in headless Chromium');
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
  width: number;
}
interface BrowserElement {
  getBoundingClientRect(): Box;
  getAttribute(name: string): string | null;
  querySelector(selector: string): BrowserElement | null;
}
interface BrowserGlobals {
  document: { querySelectorAll(selector: string): ArrayLike<BrowserElement> };
  __pwned?: number;
}

let browser: Browser;
let page: Page;
let dir: string;
const requested: string[] = [];
const routed: string[] = [];

describe.skipIf(chrome.skip)('"what changed" report in Chromium', () => {
  beforeAll(async () => {
    const executablePath = chrome.executable();
    dir = await mkdtemp(join(tmpdir(), 'evalgate-what-changed-'));
    const file = join(dir, 'report.html');
    await writeHtmlReport(candidateRun(), file, {
      baseline: baselineRun(),
      comparison: whatChangedComparison(),
      label: XSS_LABEL,
      baselineLabel: 'prompt v1',
      gates: { exact_match: 0.7, f1: 0.9 },
    });
    browser = await chromium.launch({ executablePath, args: ARGS });
    page = await browser.newPage({ viewport: { width: 1360, height: 1000 } });
    page.setDefaultTimeout(5000);
    page.on('request', (r) => requested.push(r.url()));
    // Every request the page makes goes through here; anything but the report file itself is refused.
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url === pathToFileURL(file).href) return route.continue();
      routed.push(url);
      return route.abort();
    });
    await page.goto(pathToFileURL(file).href);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('names both runs in the title and the heading', async () => {
    const title = await page.title();
    expect(title).toContain('gpt-4o · prompt v1 → gpt-4o-mini');
    expect(title).toContain(XSS_LABEL);
    expect(await page.locator('.candidate-name').textContent()).toBe(
      `gpt-4o-mini ${XSS_ATTR} · ${XSS_LABEL}`,
    );
    expect(await page.locator('.baseline-name').textContent()).toBe('gpt-4o · prompt v1');
  });

  it('gives each metric its own axis, so a 0-1 interval spans its share of the plot', async () => {
    const panels = await page.evaluate(() => {
      const { document } = globalThis as unknown as BrowserGlobals;
      return Array.from(document.querySelectorAll('.metric-panel')).map((p) => {
        const axis = p.querySelector('.axis')!;
        const bar = p.querySelector('.ci-bar')!;
        return {
          metric: p.getAttribute('data-metric'),
          low: Number(axis.getAttribute('data-domain-low')),
          high: Number(axis.getAttribute('data-domain-high')),
          axis: axis.getBoundingClientRect(),
          bar: bar.getBoundingClientRect(),
          ciLow: Number(bar.getAttribute('data-low')),
          ciHigh: Number(bar.getAttribute('data-high')),
        };
      });
    });
    expect(panels.map((p) => p.metric)).toEqual(['exact_match', 'f1', JUDGE]);
    expect(panels.map((p) => [p.low, p.high])).toEqual([
      [0, 1],
      [0, 1],
      [1, 5],
    ]);
    // all three panels are drawn at the same width, side by side, each with its own axis
    expect(new Set(panels.map((p) => Math.round(p.axis.width))).size).toBe(1);
    for (const p of panels) {
      const share = (p.ciHigh - p.ciLow) / (p.high - p.low);
      // the bar's box includes half its stroke width on each side at most
      expect(Math.abs(p.bar.width - share * p.axis.width), p.metric!).toBeLessThanOrEqual(3);
      const px = (v: number) => p.axis.left + ((v - p.low) / (p.high - p.low)) * p.axis.width;
      expect(Math.abs(p.bar.left - px(p.ciLow)), `${p.metric} low`).toBeLessThanOrEqual(2);
      expect(Math.abs(p.bar.right - px(p.ciHigh)), `${p.metric} high`).toBeLessThanOrEqual(2);
    }
    // exact match's [0.45, 0.91] covers 46% of its axis: on one 0..6 axis with the judge it would cover 8%
    expect(panels[0]!.bar.width / panels[0]!.axis.width).toBeGreaterThan(0.4);
    // and each panel has its own difference axis with zero and -margin
    expect(await page.locator('.metric-panel .diff-axis').count()).toBe(3);
    expect(await page.locator('.metric-panel .margin-line').count()).toBe(3);
  });

  it('explains each failing gate: below the bar, or too wide with the examples needed', async () => {
    const lines = await page.locator('#gates .gate-line').allTextContents();
    const kinds = await page
      .locator('#gates .gate-line')
      .evaluateAll((els) => els.map((e) => (e as unknown as BrowserElement).getAttribute('data-kind')));
    // the two bars, then the comparison (margin 0.05: f1's interval clears it), then the regressed segments
    expect(kinds).toEqual([
      'too-wide',
      'below-bar',
      'too-wide',
      'too-wide',
      'segment-regressed',
      'segment-regressed',
    ]);
    expect(lines[0]).toMatch(
      /^exact_match: interval too wide for the bar 0\.7 .* sampleSize\(\) says about [\d,]+ examples \(you have 11\)/,
    );
    expect(lines[1]).toMatch(/^f1: below the bar 0\.9 .*more examples will not lift it/);
    expect(lines[2]).toMatch(
      /^exact_match: interval too wide to show non-inferiority .* about [\d,]+ paired examples \(you have 200\)/,
    );
    expect(lines[4]).toContain('regressed in segment "shipping"');
  });

  it('lists the regressed segment first in each segment plot', async () => {
    for (const metric of ['exact_match', 'f1']) {
      const plot = page.locator(`#segments .segment-plot[data-metric="${metric}"]`);
      const labels = await plot
        .locator('.forest-row')
        .evaluateAll((els) => els.map((e) => (e as unknown as BrowserElement).getAttribute('data-label')));
      expect(labels[0], metric).toBe('shipping');
      expect(await plot.locator('.forest-row').first().getAttribute('class')).toContain('tone-bad');
      // drawn top to bottom in that order
      const tops = await plot
        .locator('.forest-row .row-label')
        .evaluateAll((els) => els.map((e) => (e as unknown as BrowserElement).getBoundingClientRect().top));
      expect([...tops].sort((a, b) => a - b)).toEqual(tops);
    }
    // the unregressed segment with the larger drop comes after the regressed one
    const em = await page
      .locator('#segments .segment-plot[data-metric="exact_match"] .forest-row')
      .evaluateAll((els) => els.map((e) => (e as unknown as BrowserElement).getAttribute('data-label')));
    expect(em).toEqual(['shipping', XSS_SEGMENT, 'billing', 'account']);
  });

  const ids = () => page.locator('#examples-table tbody tr:not([hidden]) td.id').allTextContents();

  it('shows exactly the regressed, improved or failed examples when filtered', async () => {
    expect(expectedStatus('regressed')).toEqual(['a3', 's1', 's2', 's3']);
    for (const kind of ['regressed', 'improved', 'failed'] as const) {
      await page.locator(`button.show[data-show="${kind}"]`).click();
      expect(await ids(), kind).toEqual(expectedStatus(kind));
      expect(await page.locator('#shown-count').textContent()).toBe(
        `${expectedStatus(kind).length} of 12 shown`,
      );
      expect(await page.locator(`button.show[data-show="${kind}"]`).getAttribute('aria-pressed')).toBe(
        'true',
      );
    }
    // the status filter and the text filter combine
    await page.locator('button.show[data-show="regressed"]').click();
    await page.locator('#filter').fill('ships');
    expect(await ids()).toEqual(['s1']);
    await page.locator('#filter').fill('');
    await page.locator('button.show[data-show="all"]').click();
    expect(await ids()).toEqual(ROWS.map((r) => r.id));
  });

  it('shows the baseline output and scores next to the candidate’s, with a diff', async () => {
    const row = page.locator('#examples-table tbody tr', { has: page.locator('td.id', { hasText: /^s1$/ }) });
    const base = row.locator('td.baseline-output');
    const cand = row.locator('td.output');
    expect(await base.textContent()).toBe('Ships in 2 days.');
    expect(await cand.textContent()).toBe('Ships in 5 days.');
    const [b, c] = [(await base.boundingBox())!, (await cand.boundingBox())!];
    expect(Math.abs(b.y - c.y)).toBeLessThanOrEqual(1); // same row
    expect(b.x + b.width).toBeLessThanOrEqual(c.x + 1); // baseline immediately left of the candidate
    expect(await row.locator('td.diff del').allTextContents()).toEqual(['2']);
    expect(await row.locator('td.diff ins').allTextContents()).toEqual(['5']);
    expect(await row.locator('.score.down').count()).toBe(3);
    expect(await row.locator('td.num .dim').first().textContent()).toBe('was 1');
  });

  it('runs no script from any field and shows the markup as text', async () => {
    expect(await page.evaluate(() => (globalThis as unknown as BrowserGlobals).__pwned)).toBeUndefined();
    for (const text of [XSS_SCRIPT, XSS_ATTR, XSS_QUOTE])
      expect(await page.getByText(text, { exact: true }).count(), text).toBeGreaterThan(0);
    expect(await page.locator('#segments-table td', { hasText: XSS_SEGMENT }).count()).toBeGreaterThan(0);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('b[onmouseover], [onerror], [onmouseover]').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(2);
  });

  it('draws score, latency, tokens and cost distributions for both runs', async () => {
    expect(await page.locator('#distributions .histogram[data-kind="metric"]').count()).toBe(3);
    for (const kind of ['latency', 'tokens', 'cost'])
      expect(await page.locator(`#usage .histogram[data-kind="${kind}"]`).count(), kind).toBe(1);
    // exact match: 0/1 bins, counts of each run
    const em = page.locator('#distributions .histogram[data-kind="metric"]').first();
    const counts = async (cls: string) =>
      (await em
        .locator(cls)
        .evaluateAll((els) =>
          els.map((e) => Number((e as unknown as BrowserElement).getAttribute('data-count'))),
        )) as number[];
    const tally = (side: 'base' | 'cand') => [0, 1].map((v) => ROWS.filter((r) => r[side][1] === v).length);
    expect(await counts('.hist-bar-baseline')).toEqual(tally('base'));
    expect(await counts('.hist-bar')).toEqual(tally('cand'));
    expect(tally('cand')).toEqual([3, 8]);
  });

  it('takes a screenshot, and nothing left the page', async () => {
    const shot = join(dir, 'what-changed.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(existsSync(shot) && statSync(shot).size > 10_000).toBe(true);
    console.log(`screenshot: ${shot}`);
    expect(routed).toEqual([]);
    expect(requested).toEqual([page.url()]);
  });
});
