/**
 * The built-in price list: plain data, one line per model, USD per 1M tokens (standard tier, uncached input,
 * no batch discount, the base context-length tier). Update it by editing the numbers and the date.
 *
 * As of 2025-11-30, from the providers' published pricing pages: https://openai.com/api/pricing and
 * https://docs.anthropic.com/en/docs/about-claude/pricing. Prices change; a run passes `pricing` to override
 * or extend this table, and a model in neither has no cost (never a guessed one).
 * @module
 */

/** The date the prices below were read from the providers' pages (ISO 8601). */
export const PRICING_AS_OF = '2025-11-30';

/** Where the prices below come from. */
export const PRICING_SOURCES: readonly string[] = Object.freeze([
  'https://openai.com/api/pricing',
  'https://docs.anthropic.com/en/docs/about-claude/pricing',
]);

/** `[inputPerMillion, outputPerMillion]` by model name; a name also prices its dated snapshots. */
export const PRICE_LIST: Readonly<Record<string, readonly [number, number]>> = Object.freeze({
  // OpenAI: GPT-5 family
  'gpt-5.1': [1.25, 10],
  'gpt-5': [1.25, 10],
  'gpt-5-pro': [15, 120],
  'gpt-5-mini': [0.25, 2],
  'gpt-5-nano': [0.05, 0.4],
  // OpenAI: GPT-4.1 and GPT-4o
  'gpt-4.1': [2, 8],
  'gpt-4.1-mini': [0.4, 1.6],
  'gpt-4.1-nano': [0.1, 0.4],
  'gpt-4o': [2.5, 10],
  'gpt-4o-mini': [0.15, 0.6],
  'gpt-4o-realtime-preview': [5, 20],
  'gpt-4o-mini-realtime-preview': [0.6, 2.4],
  'gpt-4-turbo': [10, 30],
  'gpt-4': [30, 60],
  'gpt-3.5-turbo': [0.5, 1.5],
  // OpenAI: reasoning models
  o1: [15, 60],
  'o1-pro': [150, 600],
  'o1-mini': [1.1, 4.4],
  o3: [2, 8],
  'o3-pro': [20, 80],
  'o3-mini': [1.1, 4.4],
  'o4-mini': [1.1, 4.4],
  // OpenAI: embeddings (input only)
  'text-embedding-3-small': [0.02, 0],
  'text-embedding-3-large': [0.13, 0],
  'text-embedding-ada-002': [0.1, 0],
  // Anthropic: Claude 4.x (aliases; dated ids such as claude-sonnet-4-5-20250929 match by prefix)
  'claude-opus-4-5': [5, 25],
  'claude-opus-4-1': [15, 75],
  'claude-opus-4': [15, 75],
  'claude-sonnet-4-5': [3, 15],
  'claude-sonnet-4': [3, 15],
  'claude-haiku-4-5': [1, 5],
  // Anthropic: Claude 3.x (claude-3-7-sonnet-latest matches claude-3-7-sonnet)
  'claude-3-7-sonnet': [3, 15],
  'claude-3-5-sonnet': [3, 15],
  'claude-3-5-haiku': [0.8, 4],
  'claude-3-opus': [15, 75],
  'claude-3-haiku': [0.25, 1.25],
});
