import {
  _checkInteger,
  _checkKnownKeys,
  _checkNumberInRange,
  _checkOptionsObject,
} from '../_internal/validate.js';
import { BudgetExceededError } from '../errors.js';

/**
 * Spending limits of a run. Once one is reached no new call is sent; calls in flight finish. Tokens and cost count
 * what the provider billed: each successful call's usage, and the part of a stream that failed after its status
 * 200 (cut off, or an error event midway: the usage it reported so far, else an estimate), which is retried.
 */
export interface BudgetOptions {
  /** Stop once this many USD have been spent (priced calls only). Minimum: `0`. @default Infinity */
  readonly maxCostUsd?: number;
  /** Stop once this many tokens (input + output) have been spent. Minimum: `0`. @default Infinity */
  readonly maxTokens?: number;
  /** Stop once this many requests (attempts, retries included) have been sent. Minimum: `0`. @default Infinity */
  readonly maxRequests?: number;
}

/** What the budget check reads. @internal */
export interface BudgetSpend {
  readonly requests: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly costUsd: number;
}

/** Validates `budget` and returns the limits with defaults filled in. @internal */
export function checkBudget(budget: unknown): Required<BudgetOptions> {
  _checkOptionsObject('budget', budget);
  _checkKnownKeys('budget', budget, ['maxCostUsd', 'maxTokens', 'maxRequests']);
  const b = (budget ?? {}) as BudgetOptions;
  const inf = Number.POSITIVE_INFINITY;
  return {
    maxCostUsd:
      b.maxCostUsd === undefined ? inf : _checkNumberInRange('budget.maxCostUsd', b.maxCostUsd, 0, inf, '[]'),
    maxTokens: _checkInteger('budget.maxTokens', b.maxTokens ?? inf, 0, inf, true),
    maxRequests: _checkInteger('budget.maxRequests', b.maxRequests ?? inf, 0, inf, true),
  };
}

/**
 * Throws `BudgetExceededError` when `spent` has reached one of the limits. Spending is counted when responses
 * come back, so calls already in flight when the limit is reached may overshoot it by what they cost; the
 * request limit is exact (it is checked as each request is sent).
 * @internal
 */
export function enforceBudget(limits: Required<BudgetOptions>, spent: BudgetSpend, exampleId?: string): void {
  const fields = exampleId === undefined ? {} : { exampleId };
  if (spent.requests >= limits.maxRequests)
    throw new BudgetExceededError(
      `Budget reached: ${spent.requests} of maxRequests ${limits.maxRequests} requests sent`,
      'maxRequests',
      fields,
    );
  const tokens = spent.inputTokens + spent.outputTokens;
  if (tokens >= limits.maxTokens)
    throw new BudgetExceededError(
      `Budget reached: ${tokens} of maxTokens ${limits.maxTokens} tokens spent`,
      'maxTokens',
      fields,
    );
  if (spent.costUsd >= limits.maxCostUsd)
    throw new BudgetExceededError(
      `Budget reached: $${spent.costUsd.toFixed(6)} of maxCostUsd $${limits.maxCostUsd} spent`,
      'maxCostUsd',
      fields,
    );
}
