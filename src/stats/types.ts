/**
 * Vocabulary shared by the statistical tests (scipy / R names).
 * @module
 */

/** Which side the alternative hypothesis (or a one-sided interval) is on. scipy / R vocabulary. */
export type Alternative = 'two-sided' | 'less' | 'greater';

/** What every test returns (frozen); each test adds its own fields. */
export interface TestResult {
  /** The test statistic, in the convention of the reference implementation named in the test's docs. */
  readonly statistic: number;
  readonly pValue: number;
  /** Which path ran: 'exact' | 'asymptotic' | 'permutation' | 'mid-p' | 't'. */
  readonly method: string;
  readonly alternative: Alternative;
  /** Pairs (observations) the test used. */
  readonly n: number;
}
