import { describe, expect, it } from 'vitest';
import { _rowStatus } from '../../src/report/_examplesSection.js';
import { _gateLines } from '../../src/report/_gateAdvice.js';
import { _segmentOrder } from '../../src/report/_segmentsSection.js';
import { renderHistoryReport } from '../../src/report/historyReport.js';
import { renderHtmlReport } from '../../src/report/htmlReport.js';
import { normalQuantile } from '../../src/stats/descriptive.js';
import { sampleSize } from '../../src/stats/sampleSize.js';
import { exampleRecord, makeComparison, makeResult } from '../vitest/_fixtures.js';
import { historyRuns } from './_historyFixture.js';
import { baselineRun, candidateRun, whatChangedComparison, XSS_SEGMENT } from './_whatChangedFixture.js';

const count = (haystack: string, needle: string) => haystack.split(needle).length - 1;

describe('gate advice', () => {
  const result = makeResult({
    metrics: {
      exact_match: { mean: 0.75, low: 0.66, high: 0.83, n: 100 },
      f1: { mean: 0.6, low: 0.5, high: 0.7, kind: 'continuous', n: 100 },
      bleu: { mean: 30, low: 27, high: 33, kind: 'continuous', n: 100 },
    },
  });

  it('says "too wide" with the number sampleSize() gives for the gap to the bar, at the sd of this run', () => {
    const [line] = _gateLines(result, { exact_match: 0.7 }, undefined);
    const m = result.metrics.exact_match!;
    const want = sampleSize({
      test: 'paired-t',
      minDetectableEffect: 0.75 - 0.7,
      sd: m.stderr * Math.sqrt(100),
      alpha: 0.025,
      alternative: 'greater',
      power: 0.8,
    }).n;
    expect(line).toMatchObject({ metric: 'exact_match', kind: 'too-wide', needed: want });
    expect(want).toBeGreaterThan(100);
    expect(line!.text).toContain(
      `sampleSize() says about ${want.toLocaleString('en-US')} examples (you have 100)`,
    );
  });

  it('says "below the bar" when the estimate itself is under it, and nothing for a passing gate', () => {
    const lines = _gateLines(result, { f1: 0.65, bleu: 25, exact_match: 0.6 }, undefined);
    expect(lines.map((l) => [l.metric, l.kind])).toEqual([['f1', 'below-bar']]);
    expect(lines[0]!.text).toBe(
      'f1: below the bar 0.65 (estimate 0.6, 95% CI [0.5, 0.7], n=100). The estimate itself is under the bar, so more examples will not lift it: improve the system, or lower the bar if it was set too high.',
    );
  });

  it('explains a failed non-inferiority margin: worse than the margin, or too wide with paired examples needed', () => {
    const comparison = makeComparison(
      {
        exact_match: { baselineMean: 0.7, candidateMean: 0.69, low: -0.06, high: 0.04, pValue: 0.7, n: 300 },
        f1: { baselineMean: 0.7, candidateMean: 0.6, low: -0.14, high: -0.06, pValue: 0.001, n: 300 },
        bleu: { baselineMean: 30, candidateMean: 31, low: 0.5, high: 1.5, pValue: 0.01, n: 300 },
      },
      { margin: 0.03 },
    );
    const lines = _gateLines(result, {}, comparison);
    expect(lines.map((l) => [l.metric, l.kind])).toEqual([
      ['exact_match', 'too-wide'],
      ['f1', 'worse-than-margin'],
    ]);
    const sd = ((0.04 - -0.06) / (2 * normalQuantile(0.975))) * Math.sqrt(300);
    const want = sampleSize({
      test: 'paired-t',
      minDetectableEffect: -0.01 + 0.03,
      sd,
      alpha: 0.025,
      alternative: 'greater',
      power: 0.8,
    }).n;
    expect(lines[0]!.needed).toBe(want);
    expect(lines[1]!.text).toContain('More examples will not help');
  });

  it('without a margin, names significantly worse metrics; and every regressed segment', () => {
    const comparison = {
      ...makeComparison({
        f1: { baselineMean: 0.7, candidateMean: 0.6, low: -0.14, high: -0.06, pValue: 0.001 },
        bleu: { baselineMean: 30, candidateMean: 29, low: -2, high: 0.1, pValue: 0.08 },
      }),
      segments: whatChangedComparison().segments!,
    };
    const lines = _gateLines(result, {}, comparison);
    expect(lines.map((l) => l.kind)).toEqual([
      'significantly-worse',
      'segment-regressed',
      'segment-regressed',
    ]);
  });

  it('shows "Every gate passes" when gated and nothing fails, and no section when nothing is gated', () => {
    expect(renderHtmlReport(result, { gates: { exact_match: 0.6 } })).toContain('Every gate passes.');
    expect(renderHtmlReport(result)).not.toContain('id="gates"');
  });

  it('rejects gates on unknown metrics and bars that are not finite numbers', () => {
    expect(() => renderHtmlReport(result, { gates: { accuracy: 0.7 } })).toThrow(
      new TypeError(
        'Expected `gates` to name metrics of the result ("exact_match", "f1", "bleu"), got "accuracy"',
      ),
    );
    expect(() => renderHtmlReport(result, { gates: { f1: Number.NaN } })).toThrow(
      new TypeError('Expected `gates["f1"]` to be a finite number, got `NaN` (number)'),
    );
    expect(() => renderHtmlReport(result, { gates: [0.7] as never })).toThrow(TypeError);
    expect(() => renderHtmlReport(result, { label: 2 as never })).toThrow(
      new TypeError('Expected `label` to be a string, got `2` (number)'),
    );
  });
});

describe('row status', () => {
  const row = (scores: Record<string, number | null>, output: string | null = 'x') =>
    exampleRecord('e', output, scores);
  it.each([
    [{ em: 1, f1: 0.5 }, { em: 1, f1: 0.5 }, []],
    [{ em: 0, f1: 0.5 }, { em: 1, f1: 0.5 }, ['regressed']],
    [{ em: 1, f1: 0.9 }, { em: 1, f1: 0.5 }, ['improved']],
    [{ em: 0, f1: 0.9 }, { em: 1, f1: 0.5 }, ['regressed', 'improved']],
    // a missing score is no evidence either way
    [{ em: null, f1: 0.5 }, { em: 1, f1: 0.5 }, []],
  ] as const)('%j against %j -> %j', (cand, base, want) => {
    expect(_rowStatus(row(cand), row(base), ['em', 'f1'])).toEqual(want);
  });
  it('marks failed rows, with or without a baseline', () => {
    expect(_rowStatus(row({ em: null }, null), undefined, ['em'])).toEqual(['failed']);
    expect(_rowStatus(row({ em: null }, null), row({ em: 1 }), ['em'])).toEqual(['failed']);
  });
});

describe('segments', () => {
  it('orders regressed cells first, then the largest drop first', () => {
    const order = _segmentOrder(whatChangedComparison().segments!).map((c) => `${c.metric}/${c.segment}`);
    expect(order).toEqual([
      'exact_match/shipping',
      'f1/shipping',
      `exact_match/${XSS_SEGMENT}`,
      'exact_match/billing',
      'f1/account',
      `f1/${XSS_SEGMENT}`,
      'exact_match/account',
    ]);
  });

  it('draws one forest plot per metric with one row per segment, escaped', () => {
    const html = renderHtmlReport(candidateRun(), {
      baseline: baselineRun(),
      comparison: whatChangedComparison(),
    });
    expect(count(html, 'class="segment-plot"')).toBe(2);
    expect(count(html, 'class="forest-row')).toBe(7);
    expect(html).not.toContain(XSS_SEGMENT);
    expect(html).not.toContain('<img');
  });

  it('draws segment estimates when the result is segmented but there is no comparison', () => {
    const r = candidateRun();
    const seg = { ...r, segments: { account: r.metrics, billing: r.metrics } };
    const html = renderHtmlReport(seg);
    expect(count(html, 'class="segment-plot"')).toBe(3);
    expect(count(html, 'class="forest-row')).toBe(6);
    expect(renderHtmlReport(r)).not.toContain('id="segments"');
  });
});

describe('renderHistoryReport', () => {
  it('draws a band and 5 points per metric', () => {
    const html = renderHistoryReport(historyRuns());
    expect(count(html, 'class="history-band"')).toBe(3);
    expect(count(html, 'class="history-point')).toBe(15);
    expect(html).toContain('gpt-4o-mini 2026-01-03');
  });

  it('breaks the band where a run lacks the metric, and draws a single run as a whisker', () => {
    const runs = historyRuns();
    const { exact_match: _, ...rest } = runs[2]!.metrics;
    runs[2] = { ...runs[2]!, metrics: rest };
    const html = renderHistoryReport(runs);
    expect(count(html, 'class="history-band"')).toBe(2 + 1 + 1);
    expect(count(renderHistoryReport([historyRuns()[0]!]), 'class="history-whisker"')).toBe(3);
  });

  it('rejects bad arguments naming them', () => {
    expect(() => renderHistoryReport([])).toThrow(
      new TypeError('Expected `results` to be a non-empty array of evalgate results, got `array(0)` (array)'),
    );
    expect(() => renderHistoryReport([historyRuns()[0]!, {} as never])).toThrow(
      new TypeError(
        'Expected `results[1]` to be an evalgate result (from evaluate() or loadResult()), got `object` (object)',
      ),
    );
    expect(() => renderHistoryReport(historyRuns(), { labels: ['a'] })).toThrow(
      new RangeError('Expected `labels` to have one label per result (5), got 1'),
    );
  });
});
