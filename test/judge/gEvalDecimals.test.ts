// gEval's logprob path on replies that are not one integer on the scale: a decimal ("3.5", "0.5"), a decimal with
// a comma ("4,5", as locales that write the decimal point as a comma do) or an off-scale number followed by an
// allowed digit ("7/5"). Each must be a missing score with a JudgeParseError message, never a number read from a
// later token ("0.5" was read as 5, "3.5" as 3, "4,5" as 4, "7/5" as 5).
import { describe, expect, it } from 'vitest';
import type { MockAnswer } from '../../src/testing/index.js';
import { gEvalOfOneRow, scriptedJudgeServer } from './_scriptedJudge.js';

const mock = scriptedJudgeServer();

/** One token per piece, each its own only alternative (p = 0.9). */
function tokens(pieces: readonly string[]): MockAnswer {
  return {
    content: pieces.join(''),
    logprobs: pieces.map((token) => ({
      token,
      logprob: Math.log(0.9),
      topLogprobs: [{ token, logprob: Math.log(0.9) }],
    })),
  };
}

async function score(pieces: readonly string[]) {
  mock.answer = tokens(pieces);
  return gEvalOfOneRow(mock);
}

describe('gEval refuses a reply that is not one integer on the scale', () => {
  it.each([
    [['3', '.', '5'], 'gEval: the score "3.5" is not an integer'],
    [['0', '.', '5'], 'gEval: the score "0.5" is not an integer'],
    [['4', ',', '5'], 'gEval: the score "4,5" is not an integer'],
    [['3', '.5'], 'gEval: the score "3.5" is not an integer'],
    [['7', '/', '5'], 'gEval: the score 7 is off the scale [1, 5]'],
    [['Score', ':', ' 0', '.', '5'], 'gEval: the score "0.5" is not an integer'],
  ])('%j is missing: %s', async (pieces, error) => {
    const r = await score(pieces);
    expect(r.value).toBeNull();
    expect(r.details).toMatchObject({ method: 'logprobs', error, raw: pieces.join('') });
  });

  it.each([
    [['4'], 4],
    [['4', '.'], 4],
    [['Score', ':', ' 4'], 4],
    [['4', '/', '5'], 4],
  ])('%j is still read as %d', async (pieces, want) => {
    const r = await score(pieces);
    expect(r.value).toBe(want);
  });
});
