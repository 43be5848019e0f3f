/** A result, baseline and comparison for the HTML report tests, with hostile text in every free-text field. */
import type { EvalResult } from '../../src/result/EvalResult.js';
import { exampleRecord, makeComparison, makeResult } from '../vitest/_fixtures.js';

export const XSS_SCRIPT = '<script>window.__pwned=1</script>';
export const XSS_ATTR = '"><img src=x onerror="window.__pwned=2">';
export const XSS_QUOTE = "' onmouseover='window.__pwned=3' x='";
/** A metric name that would end the JSON script element if it were embedded raw. */
export const XSS_METRIC = 'judge</script><script>window.__pwned=4</script>';

export const metricSpecs = {
  exact_match: { mean: 0.72, low: 0.63, high: 0.8 },
  f1: { mean: 0.81, low: 0.75, high: 0.86, kind: 'continuous' as const },
  [XSS_METRIC]: { mean: 0.35, low: 0.22, high: 0.49, kind: 'continuous' as const },
};

export function reportResult(): EvalResult {
  const scores = (em: number | null, f1: number | null, judge: number | null) => ({
    exact_match: em,
    f1,
    [XSS_METRIC]: judge,
  });
  return makeResult({
    metrics: metricSpecs,
    examples: [
      exampleRecord('q-alpha', 'Paris', scores(1, 1, 0.9), {
        details: { [XSS_METRIC]: { reason: 'Correct and concise.' } },
      }),
      exampleRecord('q-bravo', XSS_SCRIPT, scores(0, 0.2, 0.1), {
        details: { [XSS_METRIC]: { reason: `Output contains markup ${XSS_ATTR}` } },
      }),
      exampleRecord('q-charlie', XSS_ATTR, scores(0, 0.4, null), { input: { question: XSS_QUOTE } }),
      exampleRecord('q-delta', 'Berlin\u2028second line', scores(1, 0.9, 0.7), { reference: XSS_QUOTE }),
      exampleRecord('q-echo', null, scores(null, null, null), {
        error: { name: 'TimeoutError', message: 'model call timed out after 30000 ms', code: 'E_TIMEOUT' },
      }),
      exampleRecord('q-foxtrot', 'Rome', scores(1, 0.6, 0.3)),
    ],
  });
}

export const reportBaseline = (): EvalResult =>
  makeResult({
    metrics: {
      exact_match: { mean: 0.68, low: 0.58, high: 0.77 },
      f1: { mean: 0.84, low: 0.79, high: 0.89, kind: 'continuous' },
      [XSS_METRIC]: { mean: 0.3, low: 0.18, high: 0.43, kind: 'continuous' },
    },
  });

export const reportComparison = () =>
  makeComparison(
    {
      exact_match: {
        baselineMean: 0.68,
        candidateMean: 0.72,
        low: 0.01,
        high: 0.07,
        pValue: 0.004,
        pValueAdjusted: 0.012,
        effectSize: 0.21,
      },
      f1: {
        baselineMean: 0.84,
        candidateMean: 0.81,
        low: -0.06,
        high: 0.0,
        pValue: 0.06,
        pValueAdjusted: 0.12,
        test: 'wilcoxon',
        testMethod: 'asymptotic',
        effectSize: -0.12,
      },
      [XSS_METRIC]: {
        baselineMean: 0.3,
        candidateMean: 0.35,
        low: -0.01,
        high: 0.11,
        pValue: 0.1,
        pValueAdjusted: 0.12,
        test: 'paired-t',
        effectSize: 0.1,
      },
    },
    { margin: 0.02 },
  );
