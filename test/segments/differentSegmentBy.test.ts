/**
 * compare() of two runs sliced by different `segmentBy`: each pair took the baseline's labels, or the candidate's
 * where the baseline row had none, so a comparison segment mixed two slicings. A baseline by `lang` (on half the
 * rows) and a candidate by `topic` gave a segment "math" of 20 pairs where the candidate's own "math" had 40, and
 * declared it regressed. Runs with different `segmentBy` are a ComparisonError naming both; the same field
 * spelled `category` and `metadata.category` is one slicing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ComparisonError, compare, type EvalResult, evaluate, type Metric } from '../../src/index.js';

const em: Metric = {
  name: 'em',
  kind: 'binary',
  score: ({ output, example }) => (output === example.reference ? 1 : 0),
};
const rows = Array.from({ length: 80 }, (_, i) => ({
  id: `r${i}`,
  input: i,
  reference: String(i),
  metadata: { topic: i % 2 ? 'math' : 'code', ...(i < 40 ? { lang: i % 4 < 2 ? 'en' : 'fr' } : {}) },
}));
const opts = { resamples: 99, progress: false } as const;
const right = async (x: unknown) => String(x);
const wrongOnMath = async (x: unknown) => (Number(x) % 2 ? 'no' : String(x));

let byLang: EvalResult;
let byTopic: EvalResult;
beforeAll(async () => {
  byLang = await evaluate(rows, right, [em], { ...opts, segmentBy: 'lang' });
  byTopic = await evaluate(rows, wrongOnMath, [em], { ...opts, segmentBy: 'topic' });
});

describe('compare() of runs sliced by different segmentBy', () => {
  it('is a ComparisonError naming both, not segments that mix the two', () => {
    const err = (() => {
      try {
        return compare(byLang, byTopic, { resamples: 99 });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ComparisonError);
    expect((err as ComparisonError).message).toBe(
      'Cannot compare by segment: the baseline was sliced by `segmentBy: "lang"` and the candidate by `segmentBy: "topic"`, so a segment would mix rows of both slicings. Run both with the same `segmentBy`',
    );
  });

  it('a metadata key and its dotted path are the same slicing, and segments keep every row', async () => {
    const dotted = await evaluate(rows, wrongOnMath, [em], { ...opts, segmentBy: 'metadata.topic' });
    const base = await evaluate(rows, right, [em], { ...opts, segmentBy: 'topic' });
    const cmp = compare(base, dotted, { resamples: 99 });
    expect(cmp.segments!.map((c) => [c.segment, c.n])).toEqual([
      ['code', 40],
      ['math', 40],
    ]);
  });
});
