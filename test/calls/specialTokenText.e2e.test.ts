// Text that spells a tokenizer's special token (`<|endoftext|>`, `<|im_start|>`: a dataset about tokenizers, a
// prompt-injection probe, scraped chat logs) is text: a provider counts it as ordinary tokens. Regression:
// gpt-tokenizer refuses such text by default ("Disallowed special token found"), so under a `tpm` limit every such
// row failed before a request was sent, estimateCost() threw, and the mock server's usage (countMockTokens) threw
// inside the server.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { _estimateRequestTokens } from '../../src/calls/estimateTokens.js';
import { estimateCost, evaluate, type Metric, openaiModel } from '../../src/index.js';
import { countMockTokens, type MockServer, startMockServer } from '../../src/testing/index.js';

const SPECIAL = ['<|endoftext|>', '<|im_start|>', '<|endofprompt|>', '<|fim_prefix|>'];
const one: Metric = { name: 'one', kind: 'binary', score: () => 1 };

let server: MockServer;
beforeAll(async () => {
  server = await startMockServer();
});
afterAll(async () => {
  await server.close();
});

describe('text spelling a special token counts as text', () => {
  it.each(SPECIAL)(
    '%s: the TPM estimate, estimateCost and countMockTokens count it, more than without it',
    async (t) => {
      const text = `before ${t} after`;
      const plain = 'before  after';
      const est = (s: string) => _estimateRequestTokens({ messages: [{ role: 'user', content: s }] }, 0);
      expect(est(text)).toBeGreaterThan(est(plain));
      expect(countMockTokens(text)).toBeGreaterThan(countMockTokens(plain));
      const cost = async (s: string) => (await estimateCost([{ input: s }], { model: 'gpt-4o' })).inputTokens;
      expect(await cost(text)).toBeGreaterThan(await cost(plain));
    },
  );

  it('evaluate() under a tpm limit: every row answered, usage counted', async () => {
    const client = new OpenAI({ baseURL: server.url, apiKey: 'k', maxRetries: 0 });
    const rows = SPECIAL.map((t, i) => ({ id: `r${i}`, input: `explain ${t} please` }));
    const r = await evaluate(rows, openaiModel({ client, model: 'gpt-4o' }), [one], {
      progress: false,
      resamples: 50,
      rateLimit: { tpm: 100_000 },
      maxFailureRate: 1,
    });
    expect(r.nFailed).toBe(0);
    expect(r.totals.inputTokens).toBeGreaterThan(0);
  });
});
