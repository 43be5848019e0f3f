// answerRelevance checks the embedder's vectors as embeddingSimilarity does: one finite vector per text, all of
// one length. A question vector shorter than a generated question's was compared on its first dimensions only.
import { describe, expect, it } from 'vitest';
import type { ScoreContext } from '../../src/core/types.js';
import { answerRelevance, type JudgeComplete } from '../../src/judge/index.js';
import type { EmbedFunction } from '../../src/metrics/index.js';

const complete: JudgeComplete = async () => '{"questions": ["What is the capital of France?"]}';
const ctx: ScoreContext = {
  example: { id: 'q1', input: 'Capital of France?' },
  output: 'Paris',
  signal: new AbortController().signal,
};
const metric = (vectors: number[][]) =>
  answerRelevance({ client: complete, model: 'judge', embed: (async () => vectors) as EmbedFunction });

describe('answerRelevance refuses malformed embeddings', () => {
  it.each([
    [
      'question vector shorter than a question vector',
      [
        [1, 0],
        [1, 0, 5],
      ],
      new RangeError(
        'Metric `answer_relevance` for example "q1": `embed` returned vectors of different lengths (2 and 3)',
      ),
    ],
    [
      'question vector longer than a question vector',
      [
        [1, 0, 5],
        [1, 0],
      ],
      new RangeError(
        'Metric `answer_relevance` for example "q1": `embed` returned vectors of different lengths (3 and 2)',
      ),
    ],
    [
      'NaN entry',
      [
        [1, 0],
        [Number.NaN, 1],
      ],
      new TypeError(
        'Metric `answer_relevance` for example "q1": expected `embed(...)[1][0]` to be a finite number, got `NaN` (number)',
      ),
    ],
  ])('%s', async (_, vectors, error) => {
    await expect(metric(vectors).score(ctx)).rejects.toThrow(error);
  });

  it('well-formed vectors still score', async () => {
    const r = await metric([
      [1, 0],
      [1, 1],
    ]).score(ctx);
    expect((r as { value: number }).value).toBe(0.7071067811865475);
  });
});
