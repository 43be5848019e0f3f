import { _describe } from '../_internal/describe.js';
import { _checkOptionsObject } from '../_internal/validate.js';
import type { Usage } from '../core/types.js';
import { UnpricedModelError } from '../errors.js';
import { PRICE_LIST, PRICING_AS_OF, PRICING_SOURCES } from './defaultPricing.js';

/** Price of a model in USD per 1M tokens. */
export interface ModelPrice {
  readonly inputPerMillion: number;
  readonly outputPerMillion: number;
}

/** Prices by model name; a name also prices its dated snapshots (`gpt-4o-mini` covers `gpt-4o-mini-2024-07-18`). */
export type Pricing = Readonly<Record<string, ModelPrice>>;

/**
 * List prices of current OpenAI and Anthropic models (GPT-5, GPT-4.1, GPT-4o, o-series, embeddings, Claude 4.x
 * and 3.x), USD per 1M tokens (standard tier, uncached input), as of {@link DEFAULT_PRICING_AS_OF}, from the
 * providers' published pricing pages ({@link DEFAULT_PRICING_SOURCES}). The numbers live in a plain data file
 * (`defaultPricing.ts`). Prices change: pass `pricing` to override or extend. A model that is in neither table
 * has no cost: its calls leave `costUsd` unset, are counted in `totals.unpricedCalls`, and the result carries
 * one warning naming the model; a `budget.maxCostUsd` refuses such a model before paying for it.
 *
 * @example
 * ```ts
 * DEFAULT_PRICING['gpt-4o-mini'];
 * // => { inputPerMillion: 0.15, outputPerMillion: 0.6 }
 * DEFAULT_PRICING['claude-sonnet-4-5'];
 * // => { inputPerMillion: 3, outputPerMillion: 15 }
 * ```
 */
export const DEFAULT_PRICING: Pricing = Object.freeze(
  Object.fromEntries(
    Object.entries(PRICE_LIST).map(([name, [inputPerMillion, outputPerMillion]]) => [
      name,
      Object.freeze({ inputPerMillion, outputPerMillion }),
    ]),
  ),
);

/**
 * The date {@link DEFAULT_PRICING} was read from the providers' pricing pages (ISO 8601).
 *
 * @example
 * ```ts
 * DEFAULT_PRICING_AS_OF; // => '2025-11-30'
 * ```
 */
export const DEFAULT_PRICING_AS_OF: string = PRICING_AS_OF;

/**
 * The pages {@link DEFAULT_PRICING} was read from.
 *
 * @example
 * ```ts
 * DEFAULT_PRICING_SOURCES[0]; // => 'https://openai.com/api/pricing'
 * ```
 */
export const DEFAULT_PRICING_SOURCES: readonly string[] = PRICING_SOURCES;

/**
 * The price of `model`: an exact entry of `pricing`, then of {@link DEFAULT_PRICING}, then the longest name in
 * either that `model` starts with followed by `-` (dated snapshots). `undefined` when unknown.
 * @internal
 */
export function priceOf(model: string | undefined, pricing: Pricing = {}): ModelPrice | undefined {
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
  const price = priceOf(model, pricing);
  if (price === undefined) return undefined;
  return (usage.inputTokens * price.inputPerMillion + usage.outputTokens * price.outputPerMillion) / 1e6;
}

/** Validates a user `pricing` table. @internal */
export function checkPricing(pricing: unknown): Pricing {
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

/** How to price `model`, for messages. @internal */
export function _pricingHint(model: string): string {
  return `pass \`pricing: { ${JSON.stringify(model)}: { inputPerMillion, outputPerMillion } }\` (USD per 1M tokens) to evaluate()`;
}

/**
 * The one warning of a run whose calls had no price: which models, how many calls, and how to price them.
 * `calls` maps a model name (or `undefined`: a call that named no model) to its count of unpriced calls.
 * @internal
 */
export function unpricedWarning(calls: ReadonlyMap<string | undefined, number>): string | undefined {
  // A call that names no model (a `ctx.call` to some other service) is counted in `totals.unpricedCalls` but
  // not warned about: there is no model to price, and the warning is about models a `pricing` entry would fix.
  const named = [...calls.keys()].filter((m): m is string => m !== undefined);
  if (named.length === 0) return undefined;
  const total = named.reduce((a, m) => a + (calls.get(m) ?? 0), 0);
  const list = named.map((m) => `${JSON.stringify(m)} ×${calls.get(m)}`).join(', ');
  const how = _pricingHint(named[0] as string);
  return (
    `no price for ${list}: ${total} call${total === 1 ? '' : 's'} left without a cost (costUsd unset, not 0; ` +
    `totals.costUsd covers priced calls only); ${how}`
  );
}

/**
 * Refuses a call to a model that has no price when a `budget.maxCostUsd` is set: a budget cannot stop what it
 * cannot count, so nothing is sent. `model` undefined is not refused here (the call may report its own cost).
 * @internal
 */
export function refuseUnpriced(
  model: string | undefined,
  pricing: Pricing,
  maxCostUsd: number,
  exampleId?: string,
): void {
  if (maxCostUsd === Number.POSITIVE_INFINITY || model === undefined) return;
  if (priceOf(model, pricing) !== undefined) return;
  throw new UnpricedModelError(
    `budget.maxCostUsd is $${maxCostUsd} but model ${JSON.stringify(model)} has no price, so its cost could not be ` +
      `counted against the budget; nothing was sent. To price it, ${_pricingHint(model)}`,
    model,
    exampleId === undefined ? {} : { exampleId },
  );
}
