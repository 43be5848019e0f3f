/**
 * evalgate's vitest integration: `expect` matchers that gate on confidence intervals and paired tests, and
 * `recordEval()` feeding the reporter (`evalgate/vitest/reporter`).
 *
 * Importing this module registers the matchers with `expect.extend`; do it once per test file or, better,
 * in `test.setupFiles` (`setupFiles: ['evalgate/vitest']`). The `declare module 'vitest'` block below types
 * them; with `setupFiles` only, make TypeScript see it by adding `"types": ["evalgate/vitest"]` to the test
 * tsconfig (or one `import 'evalgate/vitest'` anywhere in the compiled files). Works with vitest 3, 4 and 5.
 * @module
 */
import { expect } from 'vitest';
import type { NonInferiorOptions } from './toBeNonInferior.js';
import { toBeNonInferior } from './toBeNonInferior.js';
import type { SignificantlyBetterOptions } from './toBeSignificantlyBetter.js';
import { toBeSignificantlyBetter } from './toBeSignificantlyBetter.js';
import { type LowerBoundOptions, toHaveLowerBoundAtLeast } from './toHaveLowerBoundAtLeast.js';
import type { NoSegmentRegressionOptions } from './toHaveNoSegmentRegression.js';
import { toHaveNoSegmentRegression } from './toHaveNoSegmentRegression.js';

export type { RecordedComparison, RecordedEval, RecordedResult } from './recordEval.js';
export { recordEval } from './recordEval.js';
export type { LowerBoundOptions, NonInferiorOptions, NoSegmentRegressionOptions, SignificantlyBetterOptions };

/**
 * The matchers evalgate adds to `expect` (typed on vitest's `Assertion` and asymmetric matchers).
 * @example
 * ```ts
 * import 'evalgate/vitest';
 * expect(result).toHaveLowerBoundAtLeast('exact_match', 0.7);
 * expect(compare(base, result)).toBeNonInferior({ margin: 0.02 });
 * expect(compare(base, result)).not.toBeSignificantlyBetter({ metric: 'exact_match' });
 * expect(compare(base, result)).toHaveNoSegmentRegression({ margin: 0.02 });
 * ```
 */
export interface EvalgateMatchers {
  /** Passes iff `result.metrics[metric].ci.low >= threshold`. */
  toHaveLowerBoundAtLeast(metric: string, threshold: number, options?: LowerBoundOptions): void;
  /** Passes iff the difference's CI lower bound is above `-margin` (on `metric`, or on every metric). */
  toBeNonInferior(options?: NonInferiorOptions): void;
  /** Passes iff the difference is positive with adjusted p < `alpha` (on `metric`, or on every metric). */
  toBeSignificantlyBetter(options?: SignificantlyBetterOptions): void;
  /** Passes iff no segment x metric cell has difference < -margin with adjusted p < `alpha`. */
  toHaveNoSegmentRegression(options?: NoSegmentRegressionOptions): void;
}

// No type parameters on purpose: vitest 3 and 4 declare `Assertion<T = any>`, vitest 5 `Assertion<R = void,
// T = unknown>`, and a merging declaration must repeat the original's parameters by name (TS2428) unless it
// declares none, which TypeScript accepts when every original parameter has a default. The matchers do not
// depend on `T` or `R`, so one declaration merges with all three majors (test/vitest/typecheck.test.ts).
declare module 'vitest' {
  interface Assertion extends EvalgateMatchers {}
  interface AsymmetricMatchersContaining extends EvalgateMatchers {}
}

/**
 * The matchers as an object, for `expect.extend(evalgateMatchers)` on another `expect` instance. Importing
 * this module already extends vitest's global `expect`.
 * @example
 * ```ts
 * import { evalgateMatchers } from 'evalgate/vitest';
 * expect.extend(evalgateMatchers); // only needed for a custom expect
 * ```
 */
export const evalgateMatchers = {
  toHaveLowerBoundAtLeast,
  toBeNonInferior,
  toBeSignificantlyBetter,
  toHaveNoSegmentRegression,
} as const;

expect.extend(evalgateMatchers);
