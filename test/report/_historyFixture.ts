/** Five runs of one evaluation for the history report: exact match trending up, a 1-5 judge with a one-off dip. */
import type { EvalResult } from '../../src/result/EvalResult.js';
import { makeResult } from '../vitest/_fixtures.js';
import { XSS_METRIC } from './_reportFixture.js';

export const TREND = [0.6, 0.65, 0.7, 0.75, 0.8];
export const DIP = [4.2, 4.1, 3.0, 4.2, 4.1];
export const HALF = { exact_match: 0.05, judge: 0.2, [XSS_METRIC]: 0.1 } as const;

export function historyRuns(): EvalResult[] {
  return TREND.map((em, i) => {
    const judge = DIP[i]!;
    const r = makeResult({
      metrics: {
        exact_match: { mean: em, low: em - HALF.exact_match, high: em + HALF.exact_match },
        judge: { mean: judge, low: judge - HALF.judge, high: judge + HALF.judge, kind: 'continuous' },
        [XSS_METRIC]: { mean: 0.3, low: 0.2, high: 0.4, kind: 'continuous' },
      },
    });
    return {
      ...r,
      run: { ...r.run, startedAt: `2026-01-0${i + 1}T00:00:00.000Z` },
      config: {
        ...r.config,
        model: 'gpt-4o-mini',
        metrics: [{ name: 'judge', kind: 'continuous', bounds: [1, 5] }],
      },
    };
  });
}
