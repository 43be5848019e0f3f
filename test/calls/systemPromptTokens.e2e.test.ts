// The TPM limit counts a request's whole prompt before it is sent: Anthropic's top-level `system` and the OpenAI
// Responses API's `instructions` are prompt tokens the provider counts against the limit. Regression: the estimate
// read only `messages`, `input` and `prompt`, so four Anthropic requests with a ~1000-token system prompt were each
// estimated at ~20 tokens and sent together under `tpm: 1500`: the server saw ~4000 tokens in one window.
import Anthropic from '@anthropic-ai/sdk';
import { countTokens } from 'gpt-tokenizer';
import { describe, expect, it } from 'vitest';
import { _estimateRequestTokens } from '../../src/calls/estimateTokens.js';
import { evaluate, type Metric, wrapAnthropic } from '../../src/index.js';
import { maxInWindow } from '../../src/testing/index.js';
import { tokenCountingServer } from './_tokenCountingServer.js';

const SYSTEM = Array.from({ length: 1000 }, (_, i) => `w${i % 10}`).join(' ');
const windowMs = 1000;
const one: Metric = { name: 'one', kind: 'binary', score: () => 1 };

/** An Anthropic Messages server that reports every prompt token (system included) as usage, logging each request. */
const serve = tokenCountingServer({
  count: (body: { system?: string; messages: { content: string }[] }) =>
    countTokens(body.system ?? '') + body.messages.reduce((n, m) => n + countTokens(m.content), 0),
  reply: (input) => ({
    id: 'msg_1',
    type: 'message',
    role: 'assistant',
    model: 'claude-sonnet-4-5',
    content: [{ type: 'text', text: 'ok' }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: input, output_tokens: 1 },
  }),
});

describe('the TPM estimate counts the system prompt', () => {
  it('Anthropic `system` (a string or text blocks) and Responses `instructions` are counted', () => {
    const system = countTokens(SYSTEM);
    const bare = _estimateRequestTokens(
      { model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] },
      0,
    );
    expect(
      _estimateRequestTokens(
        { model: 'm', max_tokens: 10, system: SYSTEM, messages: [{ role: 'user', content: 'hi' }] },
        0,
      ),
    ).toBe(bare + system);
    expect(
      _estimateRequestTokens(
        {
          model: 'm',
          max_tokens: 10,
          system: [{ type: 'text', text: SYSTEM }],
          messages: [{ role: 'user', content: 'hi' }],
        },
        0,
      ),
    ).toBe(bare + system);
    expect(_estimateRequestTokens({ model: 'm', instructions: SYSTEM, input: 'hi' }, 0)).toBe(
      countTokens('hi') + system,
    );
  });

  it('evaluate() with the Anthropic SDK: no window at the server holds more than tpm tokens', async () => {
    const { log, url } = await serve();
    const client = wrapAnthropic(new Anthropic({ baseURL: url, apiKey: 'k', maxRetries: 0 }));
    const model = async (input: unknown) => {
      const m = await client.messages.create({
        model: 'claude-sonnet-4-5',
        max_tokens: 10,
        system: SYSTEM,
        messages: [{ role: 'user', content: String(input) }],
      });
      return m.content[0]?.type === 'text' ? m.content[0].text : '';
    };
    const rows = Array.from({ length: 4 }, (_, i) => ({ id: `q${i}`, input: `question ${i}` }));
    const r = await evaluate(rows, model, [one], {
      progress: false,
      resamples: 100,
      concurrency: 4,
      rateLimit: { tpm: 2 * countTokens(SYSTEM) + 100, windowMs },
    });
    expect(r.nFailed).toBe(0);
    expect(log).toHaveLength(4);
    expect(
      maxInWindow(log, windowMs, (e) => e.tokens),
      'tokens in any window',
    ).toBeLessThanOrEqual(2 * countTokens(SYSTEM) + 100);
  });
});
