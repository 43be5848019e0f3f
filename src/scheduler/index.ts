/**
 * Scheduling of network calls: rate limits, budgets, pricing and cost estimates. The call runtime itself is
 * internal; these are the pieces users configure.
 * @module
 */
export type { BudgetOptions } from './budget.js';
export {
  type CostEstimate,
  type EstimateCostOptions,
  type EstimateMessage,
  estimateCost,
} from './estimateCost.js';
export { DEFAULT_PRICING, type ModelPrice, type Pricing } from './pricing.js';
export { type ProviderBodyErrorOptions, providerBodyError } from './providerBodyError.js';
export {
  type RateLimiter,
  type RateLimiterOptions,
  type RateLimitLease,
  rateLimiter,
} from './rateLimiter.js';
