import { _describe } from '../_internal/describe.js';
import { _checkInteger, _checkOptions } from '../_internal/validate.js';
import { countPromptTokens } from '../calls/estimateTokens.js';
import { countMediaTokens } from '../calls/mediaTokens.js';
import { checkPricing, type ModelPrice, type Pricing, priceOf } from '../calls/pricing.js';
import type { Dataset, Example } from '../core/types.js';
import { checkDataset, placeExamples } from '../dataset/examples.js';
import { _chatMessages, _checkPromptOptions } from './_chatMessages.js';

/** A chat message as counted by {@link estimateCost}. */
export interface EstimateMessage {
  readonly role: string;
  readonly content: unknown;
}

/** Options of {@link estimateCost}. */
export interface EstimateCostOptions {
  /** Model name, priced from `pricing` then `DEFAULT_PRICING`. */
  readonly model: string;
  /**
   * Builds the prompt from an example, as in `openaiModel()`. @default the input when it is a string or
   * `{ messages }`, else its JSON
   */
  readonly prompt?: (example: Example) => string | readonly EstimateMessage[];
  /** A system message placed before a string prompt. */
  readonly system?: string;
  /** Completion tokens assumed per call. Minimum: `0`. @default 256 */
  readonly expectedOutputTokens?: number;
  /** Calls per example. Minimum: `1`. @default 1 */
  readonly trials?: number;
  /** Price overrides, USD per 1M tokens. */
  readonly pricing?: Pricing;
}

const ESTIMATE_COST_KEYS = Object.keys({
  model: true,
  prompt: true,
  system: true,
  expectedOutputTokens: true,
  trials: true,
  pricing: true,
} satisfies Record<keyof EstimateCostOptions, true>);

/** The dry-run estimate of {@link estimateCost}. */
export interface CostEstimate {
  readonly model: string;
  /** Examples read. */
  readonly n: number;
  /** Calls the run would make (`n * trials`), before retries. */
  readonly requests: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly costUsd: number;
  readonly price: ModelPrice;
  readonly method: 'gpt-tokenizer o200k_base';
}

/**
 * Estimates what a run would cost before paying for it: prompts are built as `openaiModel()` builds them and
 * counted with gpt-tokenizer (o200k_base, about 3 tokens of framing per message plus 3 per reply; images and PDFs
 * in the messages from their size or pages, by the providers' published accounting for `model`: a 1024 x 1024
 * image is 765 tokens for gpt-4o, 25,501 for gpt-4o-mini, and for a model name not known gpt-4o's figure), each call
 * is assumed to produce `expectedOutputTokens`, and the sum is priced per 1M tokens. Nothing is sent.
 *
 * @param dataset - the examples (iterable or async iterable; read once).
 * @param options - see {@link EstimateCostOptions}.
 * @returns a frozen {@link CostEstimate}.
 * @throws {TypeError} for a bad dataset or option types.
 * @throws {RangeError} when the model has no price (pass `pricing`).
 * @example
 * ```ts
 * const est = await estimateCost([{ input: 'Capital of France?' }], { model: 'gpt-4o-mini', expectedOutputTokens: 10 });
 * est.inputTokens; // => 11 (5 of text, 3 per message, 3 reply priming)
 * est.costUsd; // => (11 * 0.15 + 10 * 0.6) / 1e6
 * ```
 */
export async function estimateCost(dataset: Dataset, options: EstimateCostOptions): Promise<CostEstimate> {
  _checkOptions('estimateCost', options, ESTIMATE_COST_KEYS);
  checkDataset(dataset);
  _checkPromptOptions(options);
  const expectedOutputTokens = _checkInteger('expectedOutputTokens', options.expectedOutputTokens ?? 256, 0);
  const trials = _checkInteger('trials', options.trials ?? 1, 1);
  const pricing = checkPricing(options.pricing);
  const price = priceOf(options.model, pricing);
  if (price === undefined)
    throw new RangeError(
      `No price for model ${_describe(options.model)}: pass \`pricing: { "${options.model}": { inputPerMillion, outputPerMillion } }\``,
    );
  let n = 0;
  let prompt = 0;
  for await (const { example } of placeExamples(dataset)) {
    const messages = _chatMessages(example, options);
    // The model chooses how an image counts (gpt-4o-mini counts ~33 times gpt-4o's tokens for the same image).
    prompt += countPromptTokens({ messages }) + countMediaTokens({ model: options.model, messages });
    n++;
  }
  const inputTokens = prompt * trials;
  const outputTokens = n * trials * expectedOutputTokens;
  return Object.freeze({
    model: options.model,
    n,
    requests: n * trials,
    inputTokens,
    outputTokens,
    costUsd: (inputTokens * price.inputPerMillion + outputTokens * price.outputPerMillion) / 1e6,
    price,
    method: 'gpt-tokenizer o200k_base',
  });
}
