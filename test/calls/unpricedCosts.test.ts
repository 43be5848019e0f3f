// Honest costs: an unpriced model is never free. Its calls leave costUsd unset, the totals say how many calls
// were not priced, one warning names the model and how to price it, and a cost budget refuses the model before
// paying for it (at the start when the model under test declares its name, else at its first call).
import Anthropic from '@anthropic-ai/sdk';
import fc from 'fast-check';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallEngine, type CallOutcome } from '../../src/calls/callRuntime.js';
import { priceOf } from '../../src/calls/pricing.js';
import {
  DEFAULT_PRICING,
  DEFAULT_PRICING_AS_OF,
  DEFAULT_PRICING_SOURCES,
  evaluate,
  type Model,
  openaiModel,
  UnpricedModelError,
  wrapAnthropic,
} from '../../src/index.js';
import { exactMatch } from '../../src/metrics/index.js';
import { type MockServer, startMockServer } from '../../src/testing/index.js';

const signal = new AbortController().signal;
const tokens = { inputTokens: 10, outputTokens: 5 };
function sender() {
  const s = {
    calls: 0,
    send: async (): Promise<CallOutcome<string>> => {
      s.calls++;
      return { value: 'ok', usage: tokens };
    },
  };
  return s;
}

let server: MockServer;
beforeAll(async () => {
  server = await startMockServer();
});
afterAll(() => server.close());

const dataset = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ id: `e${i}`, input: `q${i}`, reference: `q${i}` }));
const opts = { progress: false, resamples: 50, concurrency: 2 } as const;
function claude(model: string): Model {
  const anthropic = wrapAnthropic(new Anthropic({ baseURL: server.origin, apiKey: 'test', maxRetries: 0 }));
  return async (input) => {
    const msg = await anthropic.messages.create({
      model,
      max_tokens: 32,
      messages: [{ role: 'user', content: String(input) }],
    });
    const block = msg.content[0];
    return block?.type === 'text' ? block.text : '';
  };
}

describe('the call runtime', () => {
  it('an unpriced call has no costUsd, is counted, and gives one warning naming the model and `pricing`', async () => {
    const rt = new CallEngine();
    for (let i = 0; i < 3; i++) {
      const r = await rt.call({ kind: 'model', model: 'my-local-llama' }, sender().send, signal);
      expect(r.costUsd).toBeUndefined();
    }
    await rt.call({ kind: 'model', model: 'gpt-4o-mini' }, sender().send, signal);
    expect(rt.totals.unpricedCalls).toBe(3);
    expect(rt.totals.costUsd).toBe((10 * 0.15 + 5 * 0.6) / 1e6);
    expect(rt.warnings).toHaveLength(1);
    expect(rt.warnings[0]).toBe(
      'no price for "my-local-llama" ×3: 3 calls left without a cost (costUsd unset, not 0; totals.costUsd covers ' +
        'priced calls only); pass `pricing: { "my-local-llama": { inputPerMillion, outputPerMillion } }` (USD per 1M tokens) to evaluate()',
    );
  });

  it('a priced run has no unpriced count and no warning', async () => {
    const rt = new CallEngine();
    await rt.call({ kind: 'model', model: 'claude-sonnet-4-5-20250929' }, sender().send, signal);
    expect(rt.totals.unpricedCalls).toBeUndefined();
    expect(rt.warnings).toEqual([]);
  });

  it('a call that names no model and reports no cost is counted as unpriced, without a pricing warning', async () => {
    const rt = new CallEngine();
    const r = await rt.call({ kind: 'model', request: { q: 1 } }, sender().send, signal);
    expect(r.costUsd).toBeUndefined();
    expect(rt.totals.unpricedCalls).toBe(1);
    expect(rt.warnings).toEqual([]);
  });

  it('a cost budget refuses an unpriced model before sending; a priced one and a self-priced call go through', async () => {
    const rt = new CallEngine({ budget: { maxCostUsd: 1 } });
    const s = sender();
    const err = (await rt
      .call({ kind: 'judge', model: 'judge-9000', exampleId: 'x' }, s.send, signal)
      .catch((e) => e)) as UnpricedModelError;
    expect(err).toBeInstanceOf(UnpricedModelError);
    expect(err.code).toBe('E_UNPRICED');
    expect(err.model).toBe('judge-9000');
    expect(err.exampleId).toBe('x');
    expect(err.message).toBe(
      'budget.maxCostUsd is $1 but model "judge-9000" has no price, so its cost could not be counted against the ' +
        'budget; nothing was sent. To price it, pass `pricing: { "judge-9000": { inputPerMillion, outputPerMillion } }` (USD per 1M tokens) to evaluate()',
    );
    expect(s.calls).toBe(0);
    expect(rt.totals.requests).toBe(0);
    await rt.call({ kind: 'model', model: 'gpt-4.1' }, s.send, signal);
    // A call that names no model may report its own cost.
    const own = await rt.call(
      { kind: 'model' },
      async () => ({ value: 1, usage: tokens, costUsd: 0.01 }),
      signal,
    );
    expect(own.costUsd).toBe(0.01);
    // `pricing` makes the model countable.
    const priced = new CallEngine({
      budget: { maxCostUsd: 1 },
      pricing: { 'judge-9000': { inputPerMillion: 1, outputPerMillion: 2 } },
    });
    expect((await priced.call({ kind: 'judge', model: 'judge-9000' }, sender().send, signal)).costUsd).toBe(
      20 / 1e6,
    );
  });
});

describe('evaluate()', () => {
  it('Claude through wrapAnthropic is priced from the table', async () => {
    const r = await evaluate(dataset(3), claude('claude-haiku-4-5-20251001'), [exactMatch()], opts);
    expect(r.totals.unpricedCalls).toBeUndefined();
    const t = r.totals;
    expect(t.costUsd).toBeGreaterThan(0);
    const want = (t.inputTokens * 1 + t.outputTokens * 5) / 1e6;
    expect(Math.abs(t.costUsd - want)).toBeLessThanOrEqual(1e-12 * want);
    for (const rec of r.examples) expect(rec.costUsd).toBeGreaterThan(0);
    expect(r.warnings ?? []).toEqual([]);
  });

  it('an unpriced model: records without costUsd, totals count the calls, one warning', async () => {
    const r = await evaluate(dataset(4), claude('claude-next-7'), [exactMatch()], opts);
    expect(r.totals.costUsd).toBe(0);
    expect(r.totals.unpricedCalls).toBe(4);
    for (const rec of r.examples) expect('costUsd' in rec).toBe(false);
    const warnings = (r.warnings ?? []).filter((w) => w.includes('no price'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('"claude-next-7" ×4');
    expect(warnings[0]).toContain('pricing: { "claude-next-7"');
  });

  it('maxCostUsd with an unpriced model under test is refused at the start: no request is sent', async () => {
    server.reset();
    const model = openaiModel({
      model: 'my-finetune',
      client: new OpenAI({ baseURL: server.url, apiKey: 'test' }),
    });
    const err = await evaluate(dataset(5), model, [exactMatch()], {
      ...opts,
      budget: { maxCostUsd: 0.5 },
    }).catch((e) => e);
    expect(err).toBeInstanceOf(UnpricedModelError);
    expect((err as UnpricedModelError).model).toBe('my-finetune');
    expect(server.stats.requests).toBe(0);
  });

  it('maxCostUsd with an unpriced model found only at its first call: evaluate() throws, nothing is sent', async () => {
    server.reset();
    const err = await evaluate(dataset(6), claude('claude-next-7'), [exactMatch()], {
      ...opts,
      budget: { maxCostUsd: 0.5 },
    }).catch((e) => e);
    expect(err).toBeInstanceOf(UnpricedModelError);
    expect(server.stats.requests).toBe(0);
  });
});

describe('DEFAULT_PRICING', () => {
  it('says when and where its prices were read, and covers current OpenAI and Anthropic models', () => {
    expect(DEFAULT_PRICING_AS_OF).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(DEFAULT_PRICING_SOURCES).toEqual([
      'https://openai.com/api/pricing',
      'https://docs.anthropic.com/en/docs/about-claude/pricing',
    ]);
    for (const m of [
      'gpt-5',
      'gpt-4.1-mini',
      'o4-mini',
      'claude-sonnet-4-5',
      'claude-opus-4-1',
      'claude-haiku-4-5',
      'claude-3-5-haiku',
    ])
      expect(DEFAULT_PRICING[m], m).toBeDefined();
    for (const [name, price] of Object.entries(DEFAULT_PRICING)) {
      expect(Number.isFinite(price.inputPerMillion) && price.inputPerMillion > 0, name).toBe(true);
      expect(Number.isFinite(price.outputPerMillion) && price.outputPerMillion >= 0, name).toBe(true);
      expect(Object.isFrozen(price)).toBe(true);
    }
  });

  it('a dated snapshot costs what its longest listed prefix costs (o3-pro is not o3)', () => {
    expect(priceOf('o3-pro-2025-06-10')).toEqual({ inputPerMillion: 20, outputPerMillion: 80 });
    expect(priceOf('claude-opus-4-1-20250805')).toEqual({ inputPerMillion: 15, outputPerMillion: 75 });
    expect(priceOf('claude-3-7-sonnet-latest')).toEqual({ inputPerMillion: 3, outputPerMillion: 15 });
    const names = Object.keys(DEFAULT_PRICING);
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.integer({ min: 20200101, max: 20301231 }), (name, date) => {
        const longest = names
          .filter((n) => `${name}-${date}`.startsWith(`${n}-`) || n === name)
          .sort((a, b) => b.length - a.length)[0];
        expect(priceOf(`${name}-${date}`)).toBe(DEFAULT_PRICING[longest as string]);
      }),
      { seed: 18, numRuns: 300 },
    );
  });
});
