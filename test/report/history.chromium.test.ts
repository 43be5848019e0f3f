/**
 * The history report in headless Chromium: five result files written with saveResult, drawn by
 * `evalgate report --history` (the CLI, run as a child process), then checked as a reader sees them: five
 * points per metric, each inside a band that spans its run's interval, the one-off dip marked, markup as text,
 * nothing requested from the network.
 */
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveResult } from '../../src/result/saveResult.js';
import { chromium as systemChromium } from '../_system.js';
import { DIP, HALF, historyRuns, TREND } from './_historyFixture.js';
import { openReport } from './_openReport.js';
import { XSS_METRIC } from './_reportFixture.js';

const chrome = systemChromium('the history report suite loads the report in headless Chromium');
const root = join(import.meta.dirname, '../..');
const TSX = join(root, 'node_modules/tsx/dist/cli.mjs');
const CLI = join(root, 'src/cli.ts');

interface Box {
  top: number;
  bottom: number;
  left: number;
  width: number;
  height: number;
}
interface BrowserElement {
  getBoundingClientRect(): Box;
  getAttribute(name: string): string | null;
  querySelector(selector: string): BrowserElement | null;
  querySelectorAll(selector: string): ArrayLike<BrowserElement>;
  isPointInFill(point: unknown): boolean;
  ownerSVGElement: { createSVGPoint(): { x: number; y: number } };
}
interface BrowserGlobals {
  document: { querySelectorAll(selector: string): ArrayLike<BrowserElement> };
  __pwned?: number;
}

let browser: Browser;
let page: Page;
let stdout = '';
let dir: string;
const requested: string[] = [];

describe.skipIf(chrome.skip)('history report in Chromium', () => {
  beforeAll(async () => {
    const executablePath = chrome.executable();
    dir = await mkdtemp(join(tmpdir(), 'evalgate-history-'));
    const runs = historyRuns();
    // File names out of time order: the CLI orders the runs by when they started.
    const names = ['e', 'd', 'c', 'b', 'a'];
    const files = await Promise.all(
      runs.map(async (r, i) => {
        const file = join(dir, `${names[i]}-run.json`);
        await saveResult(r, file);
        return file;
      }),
    );
    const out = join(dir, 'history.html');
    ({ stdout } = await promisify(execFile)(
      process.execPath,
      [TSX, CLI, 'report', '--history', ...[...files].sort(), '-o', out],
      { cwd: root, timeout: 30_000 },
    ));
    ({ browser, page } = await openReport(executablePath, out, { width: 1000, height: 900 }, requested));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('the CLI reports what it wrote', () => {
    expect(stdout).toMatch(/evalgate: wrote .*history\.html \(5 runs\)/);
  });

  it('draws 5 points per metric, in time order, each inside a band spanning its interval', async () => {
    const panels = await page.evaluate(() => {
      const { document } = globalThis as unknown as BrowserGlobals;
      return Array.from(document.querySelectorAll('.history-panel')).map((panel) => {
        const band = panel.querySelector('.history-band')!;
        const axis = panel.querySelector('.y-axis')!;
        const svgPoint = (x: number, y: number) => {
          const p = band.ownerSVGElement.createSVGPoint();
          p.x = x;
          p.y = y;
          return p;
        };
        return {
          metric: panel.getAttribute('data-metric'),
          bands: panel.querySelectorAll('.history-band').length,
          domain: [
            Number(axis.getAttribute('data-domain-low')),
            Number(axis.getAttribute('data-domain-high')),
          ],
          points: Array.from(panel.querySelectorAll('.history-point')).map((c) => {
            const cx = Number(c.getAttribute('cx'));
            const cy = Number(c.getAttribute('cy'));
            const estimate = Number(c.getAttribute('data-estimate'));
            return {
              run: Number(c.getAttribute('data-run')),
              estimate,
              moved: (c.getAttribute('class') ?? '').includes('moved'),
              // the band covers the point
              inBand: band.isPointInFill(svgPoint(cx, cy)),
              cx,
            };
          }),
        };
      });
    });
    expect(panels.map((p) => p.metric)).toEqual(['exact_match', 'judge', XSS_METRIC]);
    expect(panels.map((p) => p.bands)).toEqual([1, 1, 1]);
    expect(panels[1]!.domain).toEqual([1, 5]); // the judge on its declared bounds
    for (const p of panels) {
      expect(
        p.points.map((q) => q.run),
        p.metric!,
      ).toEqual([0, 1, 2, 3, 4]);
      expect(
        p.points.every((q) => q.inBand),
        p.metric!,
      ).toBe(true);
      // left to right in time order
      expect([...p.points].sort((a, b) => a.cx - b.cx).map((q) => q.run)).toEqual([0, 1, 2, 3, 4]);
    }
    expect(panels[0]!.points.map((q) => q.estimate)).toEqual(TREND);
    expect(panels[1]!.points.map((q) => q.estimate)).toEqual(DIP);
    // the trend moves by less than its intervals, run to run; the dip's interval leaves its neighbours'
    expect(panels[0]!.points.map((q) => q.moved)).toEqual([false, false, false, false, false]);
    expect(panels[1]!.points.map((q) => q.moved)).toEqual([false, false, true, true, false]);
  });

  it('the band spans each run’s interval: its edge at a run is the interval’s end', async () => {
    const edges = await page.evaluate(
      ([half]) => {
        const { document } = globalThis as unknown as BrowserGlobals;
        const panel = document.querySelectorAll('.history-panel')[1]!;
        const band = panel.querySelector('.history-band')!;
        const pt = (x: number, y: number) => {
          const p = band.ownerSVGElement.createSVGPoint();
          p.x = x;
          p.y = y;
          return p;
        };
        const axis = panel.querySelector('.y-axis')!;
        const y1 = Number(axis.getAttribute('y1'));
        const y2 = Number(axis.getAttribute('y2'));
        const lo = Number(axis.getAttribute('data-domain-low'));
        const hi = Number(axis.getAttribute('data-domain-high'));
        const y = (v: number) => y2 - ((v - lo) / (hi - lo)) * (y2 - y1);
        return Array.from(panel.querySelectorAll('.history-point')).map((c) => {
          const cx = Number(c.getAttribute('cx'));
          const est = Number(c.getAttribute('data-estimate'));
          const inside = (v: number) => band.isPointInFill(pt(cx, y(v)));
          return [
            inside(est - half! * 0.9),
            inside(est + half! * 0.9),
            inside(est - half! * 1.1),
            inside(est + half! * 1.1),
          ];
        });
      },
      [HALF.judge] as const,
    );
    expect(edges).toEqual(Array.from({ length: 5 }, () => [true, true, false, false]));
  });

  it('labels the runs by file, keeps markup as text, and loads nothing', async () => {
    expect(await page.locator('#history-table tbody td:first-child').allTextContents()).toEqual([
      'e-run',
      'd-run',
      'c-run',
      'b-run',
      'a-run',
    ]);
    expect(await page.evaluate(() => (globalThis as unknown as BrowserGlobals).__pwned)).toBeUndefined();
    expect(await page.locator('script').count()).toBe(1); // the JSON data only
    expect(
      await page.locator(`.history-panel[data-metric="${XSS_METRIC.replace(/"/g, '\\"')}"]`).count(),
    ).toBe(1);
    const shot = join(dir, 'history.png');
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`screenshot: ${shot}`);
    expect(requested).toEqual([page.url()]);
  });
});
