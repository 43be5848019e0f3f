// gEval's probability-weighted score at the edges of the logprobs an endpoint returns: the score token missing
// from its own top alternatives (sampled tokens need not be among the top k; some OpenAI-compatible servers
// list other tokens only), and logprobs so low that exp() underflows to 0 (OpenAI uses -9999 as a floor).
import { describe, expect, it } from 'vitest';
import { type Example, evaluate } from '../../src/index.js';
import { gEval } from '../../src/judge/index.js';
import type { MockAnswer } from '../../src/testing/index.js';
import { gEvalOfOneRow, scriptedJudgeServer } from './_scriptedJudge.js';

const mock = scriptedJudgeServer();

const one: Example[] = [{ id: 'a', input: 'Capital of France?', reference: 'Paris' }];
const model = async () => 'Paris';

async function score(logprobs: MockAnswer & object): Promise<{ value: unknown; details: unknown }> {
  mock.answer = logprobs;
  return gEvalOfOneRow(mock);
}

describe('gEval weighted score edges', () => {
  it('a score token absent from its own top alternatives still counts (not the bottom of the scale)', async () => {
    const r = await score({
      content: '4',
      logprobs: [
        {
          token: '4',
          logprob: Math.log(0.3),
          topLogprobs: [
            { token: 'Four', logprob: Math.log(0.5) },
            { token: 'x', logprob: Math.log(0.2) },
          ],
        },
      ],
    });
    // The only allowed score seen is the sampled "4": renormalized over the allowed scores it has p = 1.
    expect(r.value).toBe(4);
  });

  it('the sampled token joins the allowed alternatives it is missing from', async () => {
    const r = await score({
      content: '5',
      logprobs: [
        {
          token: '5',
          logprob: Math.log(0.2),
          topLogprobs: [
            { token: '4', logprob: Math.log(0.6) },
            { token: 'x', logprob: Math.log(0.2) },
          ],
        },
      ],
    });
    const want = (4 * 0.6 + 5 * 0.2) / 0.8;
    expect(Math.abs((r.value as number) - want)).toBeLessThanOrEqual(1e-12 * want);
  });

  it('renormalizes logprobs whose exp() underflows instead of giving NaN', async () => {
    const r = await score({
      content: '4',
      logprobs: [
        {
          token: '4',
          logprob: -800,
          topLogprobs: [
            { token: '4', logprob: -800 },
            { token: '2', logprob: -801 },
          ],
        },
      ],
    });
    // p(4) = 1 / (1 + e^-1), p(2) = e^-1 / (1 + e^-1)
    const want = (4 + 2 * Math.exp(-1)) / (1 + Math.exp(-1));
    expect(Math.abs((r.value as number) - want)).toBeLessThanOrEqual(1e-12 * want);
  });

  it('a two-digit score split into digit tokens ("1" + "0", as SentencePiece tokenizers do) is not read as 1', async () => {
    mock.answer = {
      content: '10',
      logprobs: [
        { token: '1', logprob: Math.log(0.9), topLogprobs: [{ token: '1', logprob: Math.log(0.9) }] },
        { token: '0', logprob: Math.log(0.95), topLogprobs: [{ token: '0', logprob: Math.log(0.95) }] },
      ],
    };
    const r = await evaluate(
      one,
      model,
      [gEval({ client: mock.client, model: 'judge', criteria: 'Correctness.', scale: { min: 1, max: 10 } })],
      { progress: false },
    );
    expect(r.examples[0]!.scores.g_eval).toBeNull();
    expect(r.examples[0]!.details!.g_eval).toMatchObject({
      method: 'logprobs',
      error:
        'gEval: the score "10" is split across tokens ("1" + "0"): its probability cannot be read from one token',
    });
  });

  it('an off-scale "45" tokenized "4" + "5" is not read as 4', async () => {
    mock.answer = {
      content: '45',
      logprobs: [
        { token: '4', logprob: Math.log(0.9), topLogprobs: [{ token: '4', logprob: Math.log(0.9) }] },
        { token: '5', logprob: Math.log(0.9), topLogprobs: [{ token: '5', logprob: Math.log(0.9) }] },
      ],
    };
    const r = await evaluate(
      one,
      model,
      [gEval({ client: mock.client, model: 'judge', criteria: 'Correctness.' })],
      {
        progress: false,
      },
    );
    expect(r.examples[0]!.scores.g_eval).toBeNull();
  });

  it('on a scale with negative scores, "-2" tokenized "-" + "2" is not read as 2', async () => {
    mock.answer = {
      content: '-2',
      logprobs: [
        { token: '-', logprob: Math.log(0.9), topLogprobs: [{ token: '-', logprob: Math.log(0.9) }] },
        { token: '2', logprob: Math.log(0.9), topLogprobs: [{ token: '2', logprob: Math.log(0.9) }] },
      ],
    };
    const r = await evaluate(
      one,
      model,
      [gEval({ client: mock.client, model: 'judge', criteria: 'Correctness.', scale: { min: -2, max: 2 } })],
      { progress: false },
    );
    expect(r.examples[0]!.scores.g_eval).toBeNull();
    expect(r.examples[0]!.details!.g_eval).toMatchObject({
      error:
        'gEval: the score "-2" is split across tokens ("-" + "2"): its probability cannot be read from one token',
    });
  });
});
