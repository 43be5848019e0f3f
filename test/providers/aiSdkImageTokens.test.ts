// The TPM estimate of an AI SDK call counts its images by the model's own accounting. Regression: the AI SDK's
// prompt carries no model name, so an image was counted as the larger of gpt-4o's and Anthropic's rules (1,399
// tokens for 1024 x 1024) whatever the model: six gpt-4o-mini calls (25,501 tokens an image by OpenAI's vision
// guide: 2833 + 5667 per 512-px tile) went together under `tpm: 60000`, ~153,000 tokens in one window.
import { generateText } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { describe, expect, it } from 'vitest';
import { wrapAISDKModel } from '../../src/ai-sdk/index.js';
import { countMediaTokens } from '../../src/calls/mediaTokens.js';
import { evaluate, type Metric } from '../../src/index.js';
import { maxInWindow } from '../../src/testing/index.js';
import { png1024 } from '../calls/_media.js';

const one: Metric = { name: 'one', kind: 'binary', score: () => 1 };
const bytes = Buffer.from(png1024, 'base64');
/** The usage a provider reports for `input` prompt tokens and one output token. */
const usage = (input: number) => ({
  inputTokens: { total: input, noCache: input, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 1, text: 1, reasoning: 0 },
});

/**
 * Six calls of `modelId` with one 1024 x 1024 PNG each, sent together under `tpm`; when each reached the model and
 * the tokens it counted (`perImage` and ~10 of text), which it reports as its usage, as a provider does.
 */
async function sixImages(modelId: string, perImage: number, tpm: number) {
  const log: { at: number; tokens: number }[] = [];
  const model = wrapAISDKModel(
    new MockLanguageModelV4({
      modelId,
      doGenerate: async () => {
        log.push({ at: performance.now(), tokens: perImage + 11 });
        return {
          content: [{ type: 'text', text: 'ok' }],
          finishReason: { unified: 'stop', raw: 'stop' },
          usage: usage(perImage + 10),
          warnings: [],
        } as never;
      },
    }),
  );
  const answer = async (input: unknown) =>
    (
      await generateText({
        model,
        maxRetries: 0,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: `What is in picture ${String(input)}?` },
              { type: 'image', image: bytes, mediaType: 'image/png' },
            ],
          },
        ],
      })
    ).text;
  const rows = Array.from({ length: 6 }, (_, i) => ({ id: `q${i}`, input: `${i}` }));
  const r = await evaluate(rows, answer, [one], {
    progress: false,
    resamples: 100,
    concurrency: 6,
    rateLimit: { tpm, windowMs: 1000 },
  });
  return { r, log };
}

describe('an AI SDK call counts its images by its model', () => {
  it('gpt-4o-mini: no window holds more than tpm tokens', async () => {
    const { r, log } = await sixImages('gpt-4o-mini', 25_501, 60_000);
    expect(r.nFailed).toBe(0);
    expect(log).toHaveLength(6);
    expect(
      maxInWindow(log, 1000, (e) => e.tokens),
      'tokens in any window',
    ).toBeLessThanOrEqual(60_000);
  }, 20_000);

  it('the AI SDK prompt with a model name counts that model’s figure; without one, the larger of gpt-4o’s and Anthropic’s', () => {
    const messages = [
      {
        role: 'user',
        content: [{ type: 'file', mediaType: 'image/png', data: { type: 'data', data: bytes } }],
      },
    ];
    expect(countMediaTokens({ model: 'gpt-4o-mini', messages })).toBe(25_501);
    expect(countMediaTokens({ model: 'gpt-4o', messages })).toBe(765);
    expect(countMediaTokens({ model: 'claude-sonnet-4-5', messages })).toBe(1399);
    expect(countMediaTokens({ messages })).toBe(1399);
    expect(countMediaTokens({ model: 'my-deployment', messages })).toBe(1399);
  });
});
