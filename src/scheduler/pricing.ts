import { _describe } from '../_internal/describe.js';
import { _checkOptionsObject } from '../_internal/validate.js';
import type { Usage } from '../core/types.js';

/** Price of a model in USD per 1M tokens. */
export interface ModelPrice {
  readonly inputPerMillion: number;
  readonly outputPerMillion: number;
}

/** Prices by model name; a name also prices its dated snapshots (`gpt-4o-mini` covers `gpt-4o-mini-2024-07-18`). */
export type Pricing = Readonly<Record<string, ModelPrice>>;

const p = (inputPerMillion: number, outputPerMillion: number): ModelPrice =>
  Object.freeze({ inputPerMillion, outputPerMillion });

/**
 * List prices of common OpenAI models, USD per 1M tokens (standard tier, uncached input), from
 * https://openai.com/api/pricing as of 2025. Prices change: pass `pricing` to override or extend. A model that
 * is in neither table has no cost (`costUsd` stays unset), never a guessed one.
 *
 * @example
 * ```ts
 * DEFAULT_PRICING['gpt-4o-mini'];
 * // => { inputPerMillion: 0.15, outputPerMillion: 0.6 }
 * ```
 */
export const DEFAULT_PRICING: Pricing = Object.freeze({
  'gpt-5': p(1.25, 10),
  'gpt-5-mini': p(0.25, 2),
  'gpt-5-nano': p(0.05, 0.4),
  'gpt-4.1': p(2, 8),
  'gpt-4.1-mini': p(0.4, 1.6),
  'gpt-4.1-nano': p(0.1, 0.4),
  'gpt-4o': p(2.5, 10),
  'gpt-4o-mini': p(0.15, 0.6),
  'gpt-4-turbo': p(10, 30),
  'gpt-4': p(30, 60),
  'gpt-3.5-turbo': p(0.5, 1.5),
  o1: p(15, 60),
  'o1-mini': p(1.1, 4.4),
  o3: p(2, 8),
  'o3-mini': p(1.1, 4.4),
  'o4-mini': p(1.1, 4.4),
  'text-embedding-3-small': p(0.02, 0),
  'text-embedding-3-large': p(0.13, 0),
  'text-embedding-ada-002': p(0.1, 0),
});

/**
 * The price of `model`: an exact entry of `pricing`, then of {@link DEFAULT_PRICING}, then the longest name in
 * either that `model` starts with followed by `-` (dated snapshots). `undefined` when unknown.
 * @internal
 */
export function _priceOf(model: string | undefined, pricing: Pricing = {}): ModelPrice | undefined {
  if (model === undefined) return undefined;
  const exact = pricing[model] ?? DEFAULT_PRICING[model];
  if (exact !== undefined) return exact;
  let best: { name: string; price: ModelPrice } | undefined;
  for (const table of [pricing, DEFAULT_PRICING]) {
    for (const name of Object.keys(table)) {
      if (model.startsWith(`${name}-`) && (best === undefined || name.length > best.name.length))
        best = { name, price: table[name] as ModelPrice };
    }
  }
  return best?.price;
}

/**
 * Cost of `usage` on `model` in USD, or `undefined` when the model has no price.
 * @internal
 */
export function _costUsd(model: string | undefined, usage: Usage, pricing?: Pricing): number | undefined {
  const price = _priceOf(model, pricing);
  if (price === undefined) return undefined;
  return (usage.inputTokens * price.inputPerMillion + usage.outputTokens * price.outputPerMillion) / 1e6;
}

/** Validates a user `pricing` table. @internal */
export function _checkPricing(pricing: unknown): Pricing {
  _checkOptionsObject('pricing', pricing);
  const table = (pricing ?? {}) as Record<string, unknown>;
  for (const [name, price] of Object.entries(table)) {
    if (price === null || typeof price !== 'object' || Array.isArray(price))
      throw new TypeError(`Expected \`pricing["${name}"]\` to be an options object, got ${_describe(price)}`);
    for (const f of ['inputPerMillion', 'outputPerMillion'] as const) {
      const v = (price as Record<string, unknown>)[f];
      const expected = `Expected \`pricing["${name}"].${f}\` to be a finite number >= 0, got ${_describe(v)}`;
      if (typeof v !== 'number') throw new TypeError(expected);
      if (!(v >= 0) || !Number.isFinite(v)) throw new RangeError(expected);
    }
  }
  return table as Pricing;
}
