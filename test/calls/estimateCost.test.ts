import { countTokens } from 'gpt-tokenizer';
import { describe, expect, it } from 'vitest';
import { _estimateRequestTokens, countPromptTokens } from '../../src/calls/estimateTokens.js';
import { DEFAULT_PRICING, estimateCost } from '../../src/index.js';

const rel = (got: number, want: number) => Math.abs(got - want) <= 1e-9 * Math.abs(want);

describe('token estimates (gpt-tokenizer o200k_base)', () => {
  it('counts message contents plus chat framing', () => {
    const request = {
      messages: [
        { role: 'system', content: 'Be brief.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Capital of ' },
            { type: 'text', text: 'France?' },
          ],
        },
      ],
    };
    expect(countPromptTokens(request)).toBe(
      countTokens('Be brief.') + countTokens('Capital of France?') + 3 * 2 + 3,
    );
  });
  it('adds max_tokens, else the expected completion, and nothing for embeddings', () => {
    const messages = [{ role: 'user', content: 'hi' }];
    const p = countPromptTokens({ messages });
    expect(_estimateRequestTokens({ messages, max_tokens: 40 }, 256)).toBe(p + 40);
    expect(_estimateRequestTokens({ messages, max_completion_tokens: 7 }, 256)).toBe(p + 7);
    expect(_estimateRequestTokens({ messages }, 256)).toBe(p + 256);
    expect(_estimateRequestTokens({ model: 'text-embedding-3-small', input: ['a b', 'c'] }, 256)).toBe(
      countTokens('a b') + countTokens('c'),
    );
  });
});

describe('estimateCost', () => {
  const data = [
    { input: 'Capital of France?' },
    { input: { messages: [{ role: 'user', content: 'Two plus two?' }] } },
    { input: { q: 1 } },
  ];

  it('prices the prompts as openaiModel builds them', async () => {
    const est = await estimateCost(data, {
      model: 'gpt-4o-mini',
      expectedOutputTokens: 10,
      trials: 2,
      system: 'Be brief.',
    });
    const prompt =
      countTokens('Be brief.') +
      countTokens('Capital of France?') +
      9 +
      (countTokens('Two plus two?') + 6) +
      (countTokens('Be brief.') + countTokens('{"q":1}') + 9);
    expect(est.n).toBe(3);
    expect(est.requests).toBe(6);
    expect(est.inputTokens).toBe(2 * prompt);
    expect(est.outputTokens).toBe(60);
    expect(rel(est.costUsd, (2 * prompt * 0.15 + 60 * 0.6) / 1e6)).toBe(true);
    expect(est.price).toEqual(DEFAULT_PRICING['gpt-4o-mini']);
    expect(Object.isFrozen(est)).toBe(true);
  });

  it('accepts an async dataset, a prompt builder and user pricing', async () => {
    async function* rows() {
      yield { id: 'a', input: 'x' };
      yield { id: 'b', input: 'y' };
    }
    const est = await estimateCost(rows(), {
      model: 'in-house',
      prompt: (ex) => `Q: ${String(ex.input)}`,
      expectedOutputTokens: 0,
      pricing: { 'in-house': { inputPerMillion: 1_000_000, outputPerMillion: 0 } },
    });
    const each = countTokens('Q: x') + 6;
    expect(est.inputTokens).toBe(each + countTokens('Q: y') + 6);
    expect(est.costUsd).toBe(est.inputTokens);
  });

  it.each([
    [
      () => estimateCost(data, { model: 'unknown-model' }),
      RangeError,
      'No price for model `"unknown-model"` (string): pass `pricing: { "unknown-model": { inputPerMillion, outputPerMillion } }`',
    ],
    [
      () => estimateCost(data, { model: '' }),
      TypeError,
      'Expected `model` to be a non-empty string, got `""` (string)',
    ],
    [
      () => estimateCost(3 as never, { model: 'gpt-4o' }),
      TypeError,
      'Expected `dataset` to be an array, iterable or async iterable of examples, got `3` (number)',
    ],
    [
      () => estimateCost(data, { model: 'gpt-4o', trials: 0 }),
      RangeError,
      'Expected `trials` to be an integer >= 1, got `0` (number)',
    ],
  ])('rejects bad input (%#)', async (f, Err, message) => {
    await expect(f()).rejects.toThrow(new Err(message));
  });
});
