/**
 * saveResult then loadResult on the summary fields a run fills with NaN (a calibrated estimate's effective n when
 * the human labels have no spread, a judge's length correlation on constant scores, the first-position rate of a
 * pairwise judge without a decisive verdict): JSON writes NaN as null, and the loaded result must hold NaN again,
 * so that every report reads the same before and after the file.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Metric } from '../../src/core/types.js';
import { evaluate, loadResult, markdownSummary, ResultFormatError, saveResult } from '../../src/index.js';
import { _judgeSummarize } from '../../src/judge/judgeBiasReport.js';
import { renderHtmlReport } from '../../src/report/htmlReport.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evalgate-roundtrip-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A pairwise-style judge that says 1 everywhere and never picks a position (every verdict a tie). */
const judge: Metric = {
  name: 'judge',
  kind: 'binary',
  score: () => ({ value: 1, details: { consistent: true, positions: ['tie', 'tie'] } }),
  summarize: _judgeSummarize('judge-model'),
};

async function run() {
  const data = Array.from({ length: 60 }, (_, i) => ({
    id: `e${i}`,
    input: i,
    ...(i % 3 === 0 ? { labels: { judge: 1 } } : {}),
  }));
  return evaluate(data, async () => 'same length', [judge], { progress: false, resamples: 200, seed: 1 });
}

describe('saveResult then loadResult: summary fields that are NaN', () => {
  it('restores NaN in the calibrated summary and the judge bias', async () => {
    const r = await run();
    const m = r.metrics.judge!;
    expect(m.calibrated?.effectiveN).toBeNaN();
    expect(m.judge?.lengthCorrelation?.r).toBeNaN();
    expect(m.judge?.positionConsistency?.firstPositionRate).toBeNaN();
    const path = join(dir, 'nan.json');
    await saveResult(r, path);
    const loaded = await loadResult(path);
    const l = loaded.metrics.judge!;
    expect(l.calibrated?.effectiveN).toBeNaN();
    expect(l.judge?.lengthCorrelation?.r).toBeNaN();
    expect(l.judge?.lengthCorrelation?.ci.low).toBeNaN();
    expect(l.judge?.positionConsistency?.firstPositionRate).toBeNaN();
    expect(l.calibrated).toEqual(
      JSON.parse(JSON.stringify(m.calibrated), (k, v) => (k === 'effectiveN' && v === null ? Number.NaN : v)),
    );
  });

  it('renders the same HTML report and Markdown summary before and after the file', async () => {
    const r = await run();
    const path = join(dir, 'same.json');
    await saveResult(r, path);
    const loaded = await loadResult(path);
    const page = (x: typeof r) => renderHtmlReport(x, { title: 't' });
    expect(page(loaded)).toBe(page(r));
    const md = (x: typeof r) => markdownSummary({ results: [{ name: 'run', ...x }] });
    expect(md(loaded)).toBe(md(r));
  });
});

describe('loadResult: a calibrated summary of the wrong shape', () => {
  it.each([
    [
      'effectiveN',
      (c: Record<string, unknown>) => Object.assign(c, { effectiveN: 'many' }),
      /metrics\.judge\.calibrated\.effectiveN` to be a number \(or null for NaN\), got `"many"` \(string\)/,
    ],
    [
      'ci',
      (c: Record<string, unknown>) => Object.assign(c, { ci: 3 }),
      /metrics\.judge\.calibrated\.ci` to be an object/,
    ],
    [
      'nLabeled',
      (c: Record<string, unknown>) => Object.assign(c, { nLabeled: -1 }),
      /metrics\.judge\.calibrated\.nLabeled` to be an integer >= 0/,
    ],
  ])('%s is refused with a ResultFormatError naming the file and the field', async (_, edit, message) => {
    const path = join(dir, 'bad-calibrated.json');
    await saveResult(await run(), path);
    const doc = JSON.parse(await readFile(path, 'utf8'));
    edit(doc.metrics.judge.calibrated);
    await writeFile(path, JSON.stringify(doc));
    const err = await loadResult(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResultFormatError);
    expect((err as Error).message).toContain(path);
    expect((err as Error).message).toMatch(message);
  });
});
