/**
 * Scheduling of network calls: rate limits, budgets and pricing (cost estimates live with the providers). The call runtime itself is
 * internal; these are the pieces users configure.
 * @module
 */
export type { BudgetOptions } from './budget.js';
export {
  DEFAULT_PRICING,
  DEFAULT_PRICING_AS_OF,
  DEFAULT_PRICING_SOURCES,
  type ModelPrice,
  type Pricing,
} from './pricing.js';
export { type ProviderBodyErrorOptions, providerBodyError } from './providerBodyError.js';
export {
  type RateLimiter,
  type RateLimiterOptions,
  type RateLimitLease,
  rateLimiter,
} from './rateLimiter.js';
export {
  type RedisRateLimiter,
  type RedisRateLimiterOptions,
  redisRateLimiter,
} from './redisRateLimiter.js';
