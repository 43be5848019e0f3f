// gEval's logprob path reads the first integer token as the score. When the judge wrote its score in words or in
// full-width digits ("Four out of 5", "４/5"), the first integer is the scale's end: it was read as 5. Such a
// reply is a missing score with a JudgeParseError message; a score before "out of" or "/" still reads.
import fc from 'fast-check';
import { decode, encode } from 'gpt-tokenizer/encoding/o200k_base';
import { describe, expect, it } from 'vitest';
import { gEvalOfOneRow, scriptedJudgeServer } from './_scriptedJudge.js';

const mock = scriptedJudgeServer();

async function score(pieces: readonly string[]) {
  mock.answer = {
    content: pieces.join(''),
    logprobs: pieces.map((token) => ({
      token,
      logprob: Math.log(0.9),
      topLogprobs: [{ token, logprob: Math.log(0.9) }],
    })),
  };
  return gEvalOfOneRow(mock);
}

describe('gEval: the scale end after "out of" or "/" is not the score', () => {
  it.each([
    [['Four', ' out', ' of', ' ', '5'], 'gEval: 5 follows "out of": it is the end of the scale, not a score'],
    [['４', '/', '5'], 'gEval: 5 follows "/": it is the end of the scale, not a score'],
    [
      ['Score', ':', ' four', ' /', ' ', '5'],
      'gEval: 5 follows "/": it is the end of the scale, not a score',
    ],
  ])('%j is missing', async (pieces, error) => {
    const r = await score(pieces);
    expect(r.value).toBeNull();
    expect(r.details).toMatchObject({ method: 'logprobs', error, raw: pieces.join('') });
  });

  it.each([
    [['4', ' out', ' of', ' ', '5'], 4],
    [['4', '/', '5'], 4],
    [['A', ' score', ' of', ' ', '3'], 3],
    [['Without', ' doubt', ',', ' ', '2'], 2],
  ])('%j is still read as %d', async (pieces, want) => {
    expect((await score(pieces)).value).toBe(want);
  });

  it('property: a score not written in ASCII digits, then "out of" or "/" and the scale end, is missing (seeded)', async () => {
    const word = fc.constantFrom('One', 'two', 'Three', 'four', 'FIVE', '１', '２', '３', '４', '５', 'N/A');
    const sep = fc.constantFrom(' out of ', ' Out Of ', '/', ' / ', '／');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('', 'Score: ', 'Rating: '), word, sep, async (p, w, s) => {
        const text = `${p}${w}${s}5`;
        const r = await score(encode(text).map((t) => decode([t])));
        expect(r.value, JSON.stringify(text)).toBeNull();
      }),
      { seed: 4244, numRuns: 200 },
    );
  });
});
