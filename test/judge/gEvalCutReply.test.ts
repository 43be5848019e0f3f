// gEval's logprob path on replies that do not end where the judge meant them to: a reply cut by `max_tokens`
// (finish_reason 'length') right after the score token, where a decimal or a range may have followed ("Score:
// 3.5" is 'Score' ':' ' ' '3' '.' '5' in o200k, and max_tokens 4 cut it to "Score: 3", read as 3), and a range
// verdict ("4-5", "Score (1-5): 4", read as 4 and 1). Each must be a missing score with a JudgeParseError message.
import fc from 'fast-check';
import { decode, encode } from 'gpt-tokenizer/encoding/o200k_base';
import { describe, expect, it } from 'vitest';
import type { MockAnswer, MockRequest } from '../../src/testing/index.js';
import { gEvalOfOneRow, scriptedJudgeServer } from './_scriptedJudge.js';

const mock = scriptedJudgeServer();

/** The reply as OpenAI sends it: o200k tokens, cut at the request's max_tokens with finish_reason 'length'. */
function asOpenAI(text: string, maxTokens: number | undefined): MockAnswer {
  const all = encode(text).map((t) => decode([t]));
  const pieces = maxTokens === undefined ? all : all.slice(0, maxTokens);
  return {
    content: pieces.join(''),
    finishReason: pieces.length < all.length ? 'length' : 'stop',
    logprobs: pieces.map((token) => ({
      token,
      logprob: Math.log(0.9),
      topLogprobs: [{ token, logprob: Math.log(0.9) }],
    })),
  };
}

async function score(answer: (req: MockRequest) => MockAnswer) {
  mock.respond = answer;
  return gEvalOfOneRow(mock);
}

/** One token per piece, each its own only alternative, ending as `finishReason` says. */
const pieces = (tokens: readonly string[], finishReason: 'stop' | 'length') => (): MockAnswer => ({
  content: tokens.join(''),
  finishReason,
  logprobs: tokens.map((token) => ({
    token,
    logprob: Math.log(0.9),
    topLogprobs: [{ token, logprob: Math.log(0.9) }],
  })),
});

const cut = (score: string) =>
  `gEval: the reply was cut (max_tokens) right after the score "${score}": a decimal or a range may have followed`;

describe('gEval: a reply cut right after its score, or a range, is missing', () => {
  it.each([
    [['Score', ':', ' ', '3'], 'length', cut('3')],
    [['Score', ':', ' ', '3', '.'], 'length', cut('3')],
    [['4', '-'], 'length', cut('4')],
    [['4', '-', '5'], 'stop', 'gEval: "4-5" is a range, not a score'],
    [['Score', ' (', '1', '-', '5', '):', ' ', '4'], 'stop', 'gEval: "1-5" is a range, not a score'],
    [['3', '–', '4'], 'stop', 'gEval: "3–4" is a range, not a score'],
  ] as const)('%j (%s): %s', async (tokens, finish, error) => {
    const r = await score(pieces(tokens, finish));
    expect(r.value).toBeNull();
    expect(r.details).toMatchObject({ method: 'logprobs', error, raw: tokens.join('') });
  });

  it.each([
    [['Score', ':', ' ', '4'], 'stop', 4],
    [['4', '\n', 'The', ' answer'], 'length', 4],
    [['4', '/', '5', ' because'], 'length', 4],
    [['4', ' -', ' correct'], 'stop', 4],
  ] as const)('%j (%s) is still read as %d', async (tokens, finish, want) => {
    const r = await score(pieces(tokens, finish));
    expect(r.value).toBe(want);
  });

  it('asks for room past "Score: 3.5" (6 tokens), so that a reply of that shape ends or is refused whole', async () => {
    await score((req) => asOpenAI('Score: 3.5', req.body.max_tokens as number));
    expect((mock.server.requests[0]!.body as { max_tokens: number }).max_tokens).toBeGreaterThanOrEqual(8);
  });

  // What a judge asked for "the score only" may still write, cut where the endpoint cuts it: whatever gEval reads
  // is the integer the judge wrote, or nothing (a missing score), never another number.
  it('property: the score read is the integer written, or missing (seeded)', async () => {
    const number = fc.oneof(
      fc.integer({ min: 0, max: 9 }).map(String),
      fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 9 })).map(([a, b]) => `${a}.${b}`),
      fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 })).map(([a, b]) => `${a}-${b}`),
    );
    const prefix = fc.constantFrom('', 'Score: ', 'Rating: ', 'The score is ', 'I would rate this a ');
    const suffix = fc.constantFrom('', '.', '/5', ' out of 5', '\n\nThe response is correct.');
    await fc.assert(
      fc.asyncProperty(prefix, number, suffix, async (p, n, s) => {
        const r = await score((req) => asOpenAI(`${p}${n}${s}`, req.body.max_tokens as number));
        const written = /^\d+$/.test(n) && Number(n) >= 1 && Number(n) <= 5 ? Number(n) : null;
        if (r.value !== null) expect(r.value, JSON.stringify(`${p}${n}${s}`)).toBe(written);
      }),
      { seed: 4242, numRuns: 300 },
    );
  });
});
