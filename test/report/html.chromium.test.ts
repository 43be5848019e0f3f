/**
 * Loads the HTML report in headless Chromium (playwright-core driving the system's Chromium, found by
 * test/_system.ts: CHROME_PATH or the usual commands) and checks what a reader sees: the plot geometry,
 * sorting, filtering, that no script from model text runs, and that the page asks for nothing over the
 * network. Without Chromium the suite is skipped with one printed line, or fails when EVALGATE_REQUIRE
 * names chromium (as in CI).
 */
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeHtmlReport } from '../../src/report/htmlReport.js';
import { chromium as systemChromium } from '../_system.js';
import {
  metricSpecs,
  reportBaseline,
  reportComparison,
  reportResult,
  XSS_ATTR,
  XSS_METRIC,
  XSS_QUOTE,
  XSS_SCRIPT,
} from './_reportFixture.js';

const chrome = systemChromium('the HTML report suite loads the report in headless Chromium');
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

// The project compiles without the DOM lib; these are the few browser types the page callbacks use.
interface BrowserElement {
  getBoundingClientRect(): { left: number; right: number; width: number };
}
interface BrowserGlobals {
  document: {
    querySelector(selector: string): BrowserElement | null;
    querySelectorAll(selector: string): ArrayLike<BrowserElement>;
    getElementById(id: string): { textContent: string | null } | null;
  };
  __pwned?: number;
}

let browser: Browser;
let page: Page;
let dir: string;
const requested: string[] = [];

/** Centre x of an element and the pixel extent of the axis it is drawn against. */
async function geometry(selector: string, axisSelector: string) {
  return page.evaluate(
    ([sel, axisSel]) => {
      const { document } = globalThis as unknown as BrowserGlobals;
      const axis = document.querySelector(axisSel)!.getBoundingClientRect();
      return Array.from(document.querySelectorAll(sel)).map((el) => {
        const box = el.getBoundingClientRect();
        return {
          left: box.left,
          right: box.right,
          centre: box.left + box.width / 2,
          axisLeft: axis.left,
          axisWidth: axis.width,
        };
      });
    },
    [selector, axisSelector] as const,
  );
}

describe.skipIf(chrome.skip)('HTML report in Chromium', () => {
  beforeAll(async () => {
    // Throws the missing-Chromium message when CI requires it: the suite fails instead of skipping.
    const executablePath = chrome.executable();
    dir = await mkdtemp(join(tmpdir(), 'evalgate-html-'));
    const file = join(dir, 'report.html');
    await writeHtmlReport(reportResult(), file, {
      baseline: reportBaseline(),
      comparison: reportComparison(),
    });
    browser = await chromium.launch({ executablePath, args: ARGS });
    page = await browser.newPage({ viewport: { width: 1300, height: 1000 } });
    page.setDefaultTimeout(5000);
    page.on('request', (r) => requested.push(r.url()));
    await page.goto(pathToFileURL(file).href);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('runs no script from model text and shows it as text', async () => {
    expect(await page.evaluate(() => (globalThis as unknown as BrowserGlobals).__pwned)).toBeUndefined();
    // the hostile strings are visible, character for character
    await expect(page.getByText(XSS_SCRIPT, { exact: true }).isVisible()).resolves.toBe(true);
    await expect(page.getByText(XSS_ATTR, { exact: true }).isVisible()).resolves.toBe(true);
    await expect(page.getByText(XSS_QUOTE, { exact: true }).isVisible()).resolves.toBe(true);
    // and none of them created an element
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(2);
    expect(await page.locator('[onerror], [onmouseover]').count()).toBe(0);
  });

  it('embeds the summary as JSON that parses back unchanged', async () => {
    const data = await page.evaluate(() =>
      JSON.parse(
        (globalThis as unknown as BrowserGlobals).document.getElementById('evalgate-data')!.textContent!,
      ),
    );
    expect(Object.keys(data.metrics)).toEqual(Object.keys(metricSpecs));
    expect(data.metrics[XSS_METRIC].ci.low).toBe(0.22);
    expect(data.comparison.metrics.f1.pValueAdjusted).toBe(0.12);
  });

  it('draws one panel per metric with its CI bar at the estimate and interval on its own axis', async () => {
    const names = Object.keys(metricSpecs);
    expect(await page.locator('#metrics .metric-panel .ci-bar').count()).toBe(3);
    expect(await page.locator('#metrics .metric-panel .ci-bar-baseline').count()).toBe(3);
    const specs = Object.values(metricSpecs);
    for (const [i, name] of names.entries()) {
      const panel = `#metrics .metric-panel:nth-child(${i + 1})`;
      expect(await page.locator(panel).getAttribute('data-metric')).toBe(name);
      // every metric lies in [0, 1], so each axis spans exactly [0, 1]
      expect(await page.locator(`${panel} .axis`).getAttribute('data-domain-low')).toBe('0');
      expect(await page.locator(`${panel} .axis`).getAttribute('data-domain-high')).toBe('1');
      const [dot] = await geometry(`${panel} .estimate`, `${panel} .axis`);
      const [bar] = await geometry(`${panel} .ci-bar`, `${panel} .axis`);
      const m = specs[i]!;
      const px = (v: number) => dot!.axisLeft + v * dot!.axisWidth;
      expect(Math.abs(dot!.centre - px(m.mean)), `estimate dot ${i}`).toBeLessThanOrEqual(1);
      // the bar's box includes half its stroke width on each side at most
      expect(Math.abs(bar!.left - px(m.low)), `CI low ${i}`).toBeLessThanOrEqual(2);
      expect(Math.abs(bar!.right - px(m.high)), `CI high ${i}`).toBeLessThanOrEqual(2);
    }
  });

  it('draws each difference against zero and -margin, colouring the inferior metric', async () => {
    expect(await page.locator('#metrics .diff-bar').count()).toBe(3);
    for (const [i, name] of Object.keys(metricSpecs).entries()) {
      const panel = `#metrics .metric-panel:nth-child(${i + 1})`;
      const axis = page.locator(`${panel} .diff-axis`);
      const lo = Number(await axis.getAttribute('data-domain-low'));
      const hi = Number(await axis.getAttribute('data-domain-high'));
      const [zero] = await geometry(`${panel} .zero-line`, `${panel} .diff-axis`);
      const [margin] = await geometry(`${panel} .margin-line`, `${panel} .diff-axis`);
      const [bar] = await geometry(`${panel} .diff-bar`, `${panel} .diff-axis`);
      const px = (v: number) => zero!.axisLeft + ((v - lo) / (hi - lo)) * zero!.axisWidth;
      expect(Math.abs(zero!.centre - px(0)), name).toBeLessThanOrEqual(1);
      expect(Math.abs(margin!.centre - px(-0.02)), name).toBeLessThanOrEqual(1);
      const ci = reportComparison().metrics[name]!.ci;
      expect(Math.abs(bar!.left - px(ci.low)), name).toBeLessThanOrEqual(2);
      expect(Math.abs(bar!.right - px(ci.high)), name).toBeLessThanOrEqual(2);
    }
    // f1's lower bound -0.06 is below -0.02: drawn as failing; the others pass
    expect(await page.locator('#metrics .metric-panel.tone-bad').getAttribute('data-metric')).toBe('f1');
    expect(await page.locator('#metrics .metric-panel.tone-good').count()).toBe(2);
  });

  const ids = () => page.locator('#examples-table tbody tr:not([hidden]) td.id').allTextContents();

  it('sorts by a score column when its header is clicked, missing scores last', async () => {
    expect(await ids()).toEqual(['q-alpha', 'q-bravo', 'q-charlie', 'q-delta', 'q-echo', 'q-foxtrot']);
    const header = page.locator('#examples-table thead button', { hasText: /^f1$/ });
    await header.click();
    expect(await ids()).toEqual(['q-bravo', 'q-charlie', 'q-foxtrot', 'q-delta', 'q-alpha', 'q-echo']);
    expect(await header.locator('..').getAttribute('aria-sort')).toBe('ascending');
    await header.click();
    expect(await ids()).toEqual(['q-alpha', 'q-delta', 'q-foxtrot', 'q-charlie', 'q-bravo', 'q-echo']);
    await page.locator('#examples-table thead button', { hasText: /^id$/ }).click();
    expect(await ids()).toEqual(['q-alpha', 'q-bravo', 'q-charlie', 'q-delta', 'q-echo', 'q-foxtrot']);
  });

  it('filters rows by text in any column', async () => {
    await page.locator('#filter').fill('timed out');
    expect(await ids()).toEqual(['q-echo']);
    expect(await page.locator('#shown-count').textContent()).toBe('1 of 6 shown');
    await page.locator('#filter').fill('onerror');
    expect(await ids()).toEqual(['q-bravo', 'q-charlie']); // in an output and in a judge reason
    await page.locator('#filter').fill('');
    expect(await ids()).toHaveLength(6);
    expect(await page.locator('#shown-count').textContent()).toBe('6 of 6 shown');
  });

  it('takes a screenshot and loads nothing but the file itself', async () => {
    const shot = join(dir, 'report.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(existsSync(shot)).toBe(true);
    expect(requested).toEqual([page.url()]);
  });
});
