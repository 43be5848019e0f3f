/**
 * A baseline and a candidate run of 12 examples in 4 segments, built by hand, for the "what changed" report
 * tests: three metrics on different scales (exact match 0/1, token F1 in [0, 1], a 1-5 judge with declared
 * bounds), per-example outputs and scores on both sides, one segment that regressed, and hostile markup in
 * the model names, labels, outputs, a segment name and a metric name.
 */
import type { Comparison, SegmentComparison } from '../../src/result/Comparison.js';
import type { EvalResult, ExampleRecord } from '../../src/result/EvalResult.js';
import { exampleRecord, makeComparison, makeResult } from '../vitest/_fixtures.js';
import { XSS_ATTR, XSS_QUOTE, XSS_SCRIPT } from './_reportFixture.js';

export const XSS_SEGMENT = '<img src=x onerror="window.__pwned=5">returns';
export const XSS_LABEL = '<script>window.__pwned=6</script>v2';
export const JUDGE = 'judge<b onmouseover="window.__pwned=7">1-5</b>';

interface Row {
  readonly id: string;
  readonly segment: string;
  readonly base: readonly [output: string | null, em: number | null, f1: number | null, judge: number | null];
  readonly cand: readonly [output: string | null, em: number | null, f1: number | null, judge: number | null];
}

// regressed: some metric lower than the baseline's on the same example; improved: some higher.
export const ROWS: readonly Row[] = [
  {
    id: 'a1',
    segment: 'account',
    base: ['Reset it in Settings.', 1, 1, 5],
    cand: ['Reset it in Settings.', 1, 1, 5],
  },
  {
    id: 'a2',
    segment: 'account',
    base: ['Use the app.', 0, 0.4, 3],
    cand: ['Use the mobile app.', 1, 0.8, 4],
  },
  {
    id: 'a3',
    segment: 'account',
    base: ['Email support.', 1, 1, 4],
    cand: ['Email support today.', 1, 0.9, 4],
  },
  {
    id: 'b1',
    segment: 'billing',
    base: ['Refunds take 5 days.', 1, 1, 5],
    cand: ['Refunds take 5 days.', 1, 1, 5],
  },
  { id: 'b2', segment: 'billing', base: [XSS_SCRIPT, 0, 0.1, 1], cand: ['Invoices are monthly.', 1, 1, 4] },
  { id: 'b3', segment: 'billing', base: ['Pay by card.', 1, 1, 4], cand: [null, null, null, null] },
  {
    id: 's1',
    segment: 'shipping',
    base: ['Ships in 2 days.', 1, 1, 5],
    cand: ['Ships in 5 days.', 0, 0.75, 2],
  },
  { id: 's2', segment: 'shipping', base: ['Tracking is emailed.', 1, 1, 4], cand: [XSS_ATTR, 0, 0, 1] },
  {
    id: 's3',
    segment: 'shipping',
    base: ['Free over $50.', 1, 1, 5],
    cand: ['Free shipping over $50.', 1, 0.9, 5],
  },
  {
    id: 'r1',
    segment: XSS_SEGMENT,
    base: ['Return within 30 days.', 1, 1, 5],
    cand: ['Return within 30 days.', 1, 1, 5],
  },
  {
    id: 'r2',
    segment: XSS_SEGMENT,
    base: ['Keep the receipt.', 0, 0.5, 3],
    cand: ['Keep the receipt.', 0, 0.5, 3],
  },
  { id: 'r3', segment: XSS_SEGMENT, base: [XSS_QUOTE, 0, 0.2, 2], cand: ['Labels are prepaid.', 1, 1, 5] },
];

const scores = ([, em, f1, judge]: Row['base']) => ({ exact_match: em, f1, [JUDGE]: judge });

/** Ids whose candidate scores are lower / higher than the baseline's on some metric, or failed. */
export function expectedStatus(kind: 'regressed' | 'improved' | 'failed'): string[] {
  return ROWS.filter((r) => {
    if (kind === 'failed') return r.cand[0] === null;
    return [1, 2, 3].some((k) => {
      const b = r.base[k as 1 | 2 | 3];
      const c = r.cand[k as 1 | 2 | 3];
      return b !== null && c !== null && (kind === 'regressed' ? c < b : c > b);
    });
  }).map((r) => r.id);
}

function records(side: 'base' | 'cand'): ExampleRecord[] {
  return ROWS.map((r, i) =>
    exampleRecord(r.id, r[side][0], scores(r[side]), {
      input: { question: `question ${r.id}` },
      reference: r.base[0] ?? '',
      metadata: { category: r.segment },
      latencyMs: side === 'base' ? 300 + 40 * i : 450 + 90 * i,
      usage: { inputTokens: 100 + i, outputTokens: side === 'base' ? 20 : 35 },
      costUsd: side === 'base' ? 0.0002 : 0.0005,
      ...(r[side][0] === null
        ? {
            error: {
              name: 'TimeoutError',
              message: 'model call timed out after 30000 ms',
              code: 'E_TIMEOUT',
            },
          }
        : {}),
    }),
  );
}

const summary = (mean: number, low: number, high: number, kind: 'binary' | 'continuous', n = 12) => ({
  mean,
  low,
  high,
  kind,
  n,
});

function run(side: 'base' | 'cand', model: string): EvalResult {
  const metrics =
    side === 'base'
      ? {
          exact_match: summary(0.667, 0.39, 0.89, 'binary'),
          f1: summary(0.767, 0.55, 0.93, 'continuous'),
          [JUDGE]: summary(3.83, 3.0, 4.5, 'continuous'),
        }
      : {
          exact_match: summary(0.727, 0.45, 0.91, 'binary', 11),
          f1: summary(0.805, 0.62, 0.95, 'continuous', 11),
          [JUDGE]: summary(3.91, 3.1, 4.6, 'continuous', 11),
        };
  const result = makeResult({ metrics, examples: records(side) });
  return {
    ...result,
    config: {
      ...result.config,
      model,
      metrics: [
        { name: 'exact_match', kind: 'binary' },
        { name: 'f1', kind: 'continuous', bounds: [0, 1] },
        { name: JUDGE, kind: 'continuous', bounds: [1, 5] },
      ],
    },
  };
}

export const baselineRun = (): EvalResult => run('base', 'gpt-4o');
export const candidateRun = (): EvalResult => run('cand', `gpt-4o-mini ${XSS_ATTR}`);

const cell = (
  segment: string,
  metric: string,
  difference: number,
  low: number,
  high: number,
  pAdjusted: number,
  regressed: boolean,
): SegmentComparison => ({
  segment,
  metric,
  n: 3,
  baselineMean: 0.8,
  candidateMean: 0.8 + difference,
  difference,
  ci: { low, high, level: 0.95, method: 'bca' },
  test: metric === 'exact_match' ? 'mcnemar' : 'wilcoxon',
  testMethod: metric === 'exact_match' ? 'exact' : 'asymptotic',
  pValue: pAdjusted / 4,
  pAdjusted,
  regressed,
});

/** The comparison, with segment cells in dataset order (not worst first): the report must sort them. */
export function whatChangedComparison(): Comparison {
  const c = makeComparison(
    {
      exact_match: { baselineMean: 0.667, candidateMean: 0.727, low: -0.18, high: 0.3, pValue: 0.62 },
      f1: {
        baselineMean: 0.767,
        candidateMean: 0.805,
        low: -0.01,
        high: 0.09,
        pValue: 0.4,
        test: 'wilcoxon',
      },
      [JUDGE]: {
        baselineMean: 3.83,
        candidateMean: 3.91,
        low: -0.7,
        high: 0.9,
        pValue: 0.8,
        test: 'wilcoxon',
      },
    },
    { margin: 0.05 },
  );
  return {
    ...c,
    nPaired: 11,
    segments: [
      cell('account', 'exact_match', 0.33, -0.2, 0.8, 1, false),
      cell('billing', 'exact_match', 0, -0.5, 0.5, 1, false),
      cell('shipping', 'exact_match', -0.67, -1, -0.3, 0.01, true),
      cell(XSS_SEGMENT, 'exact_match', -0.7, -2, 1.2, 1, false),
      cell('account', 'f1', 0.1, -0.1, 0.3, 1, false),
      cell('shipping', 'f1', -0.45, -0.8, -0.2, 0.02, true),
      cell(XSS_SEGMENT, 'f1', 0.27, -0.1, 0.6, 1, false),
    ],
  };
}
