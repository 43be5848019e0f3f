/**
 * evalgate's vitest integration: `expect` matchers that gate on confidence intervals and paired tests, and
 * `recordEval()` feeding the reporter (`evalgate/vitest/reporter`).
 *
 * Importing this module registers the matchers with `expect.extend`; do it once per test file or, better,
 * in `test.setupFiles` (`setupFiles: ['evalgate/vitest']`). The `declare module 'vitest'` block below types
 * them; with `setupFiles` only, make TypeScript see it by adding `"types": ["evalgate/vitest"]` to the test
 * tsconfig (or one `import 'evalgate/vitest'` anywhere in the compiled files). Works with vitest 3 and 4.
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

declare module 'vitest' {
  // biome-ignore lint/suspicious/noExplicitAny: merges with vitest's own `Assertion<T = any>` declaration
  interface Assertion<T = any> extends EvalgateMatchers {}
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
