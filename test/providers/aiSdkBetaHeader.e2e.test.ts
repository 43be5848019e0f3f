// The AI SDK's documented way to turn on an Anthropic beta (interleaved thinking, a longer context) is the call's
// `headers: { 'anthropic-beta': ... }`: it changes the answer for the same prompt, so it is part of the cache key of a
// wrapped model's call (no other header is: an API key passed there never reaches the key). A call without it keeps
// its key.
import * as ai from 'ai';
import { describe, expect, it } from 'vitest';
import { wrapAISDKModel } from '../../src/ai-sdk/index.js';
import { memoryCache } from '../../src/cache/index.js';
import { evaluate, type Metric } from '../../src/index.js';

const any: Metric = { name: 'any', kind: 'binary', score: () => 1 };

/** A language model answering with the `anthropic-beta` header it was called with. */
function betaEcho() {
  const model = {
    specificationVersion: 'v4' as const,
    provider: 'fake.messages',
    modelId: 'claude-x',
    supportedUrls: {},
    sent: 0,
    async doGenerate(options: { headers?: Record<string, string | undefined> }) {
      model.sent++;
      const beta = Object.entries(options.headers ?? {}).find(([k]) => k.toLowerCase() === 'anthropic-beta');
      return {
        content: [{ type: 'text', text: beta?.[1] ?? '(none)' }],
        finishReason: { unified: 'stop', raw: 'end_turn' },
        usage: { inputTokens: { total: 1 }, outputTokens: { total: 1 } },
        warnings: [],
      };
    },
    async doStream(): Promise<never> {
      throw new Error('not used');
    },
  };
  return model;
}

describe("generateText({ headers: { 'anthropic-beta' } }) through wrapAISDKModel", () => {
  it('keys the beta header, not the other headers', async () => {
    const fake = betaEcho();
    const model = wrapAISDKModel(fake as never);
    const cache = memoryCache();
    const run = async (headers: Record<string, string>) => {
      const r = await evaluate(
        [{ id: 'a', input: 'q' }],
        async (input) =>
          (await ai.generateText({ model, prompt: String(input), headers, maxRetries: 0 })).text,
        [any],
        { cache, progress: false, resamples: 10 },
      );
      return r.examples[0]?.output;
    };
    expect(await run({ 'anthropic-beta': 'beta-a' })).toBe('beta-a');
    expect(await run({ 'anthropic-beta': 'beta-b' }), 'another beta is its own call').toBe('beta-b');
    expect(await run({}), 'no beta is its own call').toBe('(none)');
    expect(fake.sent).toBe(3);
    expect(await run({ 'Anthropic-Beta': 'beta-a', 'x-api-key': 'sk-ant-other-0123456789' })).toBe('beta-a');
    expect(await run({ 'x-api-key': 'sk-ant-other-0123456789' })).toBe('(none)');
    expect(fake.sent, 'the same beta, whatever the other headers, is answered from the cache').toBe(3);
  });
});
