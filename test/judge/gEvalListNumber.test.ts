// gEval's logprob path reads the first integer token as the score. A reply numbered as a list item ("1. Coherence:
// 4", "2) Score: 4") read its item number: 1 and 2. A first number followed by "." or ")" and then another number
// is now a missing score (which number is the score is unclear); a score followed by a sentence without another
// number ("4. The answer is coherent.") still reads.
import fc from 'fast-check';
import { decode, encode } from 'gpt-tokenizer/encoding/o200k_base';
import { describe, expect, it } from 'vitest';
import { gEvalOfOneRow, scriptedJudgeServer } from './_scriptedJudge.js';

const mock = scriptedJudgeServer();

/** The judge's reply as o200k tokens, each taken with probability 0.9. */
async function score(reply: string) {
  const pieces = encode(reply).map((t) => decode([t]));
  mock.answer = {
    content: reply,
    logprobs: pieces.map((token) => ({
      token,
      logprob: Math.log(0.9),
      topLogprobs: [{ token, logprob: Math.log(0.9) }],
    })),
  };
  return gEvalOfOneRow(mock);
}

describe('gEval: a list item number is not the score', () => {
  it.each([
    [
      '1. Coherence: 4',
      'gEval: "1." may number a list item, and another number follows it: the score is unclear',
    ],
    [
      '2) Score: 4',
      'gEval: "2)" may number a list item, and another number follows it: the score is unclear',
    ],
    [
      '4. It names 3 cities',
      'gEval: "4." may number a list item, and another number follows it: the score is unclear',
    ],
  ])('%j is missing', async (reply, error) => {
    const r = await score(reply);
    expect(r.value).toBeNull();
    expect(r.details).toMatchObject({ method: 'logprobs', error, raw: reply });
  });

  it.each([
    ['4. The answer is good', 4],
    ['4.', 4],
    ['Score: 3', 3],
    ['5', 5],
  ])('%j is still read as %d', async (reply, want) => {
    expect((await score(reply)).value).toBe(want);
  });

  it('property: "<n>. <criterion>: <score>" is never read as n (seeded)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 5 }),
        fc.constantFrom('Coherence', 'Score', 'Rating', 'Relevance'),
        fc.constantFrom('. ', ') '),
        fc.integer({ min: 1, max: 5 }),
        async (n, word, marker, s) => {
          const r = await score(`${n}${marker}${word}: ${s}`);
          expect(r.value).toBeNull();
        },
      ),
      { seed: 4246, numRuns: 40 },
    );
  });
});
