/**
 * The call runtime's user-facing pieces: rate limits, budgets and pricing (cost estimates live with the
 * providers). The runtime itself (`CallEngine`, one per run) is internal; these are what users configure.
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
