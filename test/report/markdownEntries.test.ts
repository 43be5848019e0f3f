// markdownSummary refuses a malformed entry with a TypeError naming it. Regression: passing compare()'s result
// itself in `comparisons` (not `{ name, comparison }`) threw "Cannot read properties of undefined (reading
// 'metrics')" from inside the renderer.
import { describe, expect, it } from 'vitest';
import { markdownSummary } from '../../src/report/markdownSummary.js';
import { makeComparison } from '../vitest/_fixtures.js';

describe('markdownSummary entries', () => {
  it('a bare comparison in `comparisons` is a TypeError naming input.comparisons[0]', () => {
    const c = makeComparison({
      f1: { baselineMean: 0.5, candidateMean: 0.6, low: 0.01, high: 0.2, pValue: 0.01 },
    });
    expect(() => markdownSummary({ comparisons: [c as never] })).toThrow(TypeError);
    expect(() => markdownSummary({ comparisons: [c as never] })).toThrow(
      /Expected `input\.comparisons\[0\]` to be \{ name, comparison \}/,
    );
  });

  it.each([null, 3, { name: 'x' }])('results entry %j is a TypeError naming input.results[0]', (entry) => {
    expect(() => markdownSummary({ results: [entry as never] })).toThrow(/`input\.results\[0\]`/);
  });
});
