import { describe, expect, it } from 'vitest';
import type { Metric, MetricScore } from '../../src/core/types.js';
import {
  bertScore,
  bleu,
  chrf,
  contains,
  embeddingSimilarity,
  exactMatch,
  f1,
  jsonMatch,
  jsonValid,
  levenshtein,
  regexMatch,
  rougeL,
} from '../../src/metrics/index.js';
import { mockEmbedding } from '../../src/testing/index.js';
import { ctx, ONE_MB } from './_helpers.js';

const embed = async (texts: readonly string[]) => texts.map((t) => mockEmbedding(t, { dimensions: 32 }));
const embedTokens = async (texts: readonly string[]) =>
  texts.map((t) => {
    const tokens = t
      .split(/\s+/)
      .filter((x) => x.length > 0)
      .slice(0, 200);
    return { tokens, embeddings: tokens.map((w) => mockEmbedding(w, { dimensions: 16 })) };
  });

// Every text metric with the range its values must fall in.
const TEXT_METRICS: [Metric, number, number][] = [
  [exactMatch(), 0, 1],
  [f1(), 0, 1],
  [bleu(), 0, 100.00000000001],
  [chrf(), 0, 100.00000000001],
  [rougeL(), 0, 1],
  [levenshtein(), 0, 1],
  [contains(), 0, 1],
  [embeddingSimilarity({ embed }), -1.0000001, 1.0000001],
  [bertScore({ embedTokens }), -1.0000001, 1.0000001],
];

const CASES: [string, string, string][] = [
  ['CJK', '東京は日本の首都です。', '日本の首都は東京です。'],
  ['emoji', 'Great job 👍🏽🎉 👨‍👩‍👧', 'great job 👍'],
  ['combining marks', 'cafe\u0301 cre\u0300me bru\u0302le\u0301e', 'café crème brûlée'],
  ['RTL and mixed scripts', 'مرحبا hello שלום', 'hello مرحبا'],
  ['empty output', '', 'a reference'],
  ['empty reference', 'an output', ''],
  ['both empty', '', ''],
  ['whitespace only', ' \n\t\u3000', ' '],
  ['lone surrogate', 'bad \ud800 text', 'bad text'],
];

function scoreValue(s: number | MetricScore): number | null {
  return typeof s === 'number' ? s : s.value;
}

describe('every text metric gives a defined score on awkward text', () => {
  for (const [metric, lo, hi] of TEXT_METRICS) {
    it.each(CASES)(`${metric.name}: %s`, async (_, output, reference) => {
      const v = scoreValue(await metric.score(ctx(reference, output)));
      if (v === null) {
        // Only the embedding metric may report "missing", and only for a zero vector; mockEmbedding never gives one.
        expect.fail(`${metric.name} returned null`);
      }
      expect(Number.isNaN(v)).toBe(false);
      expect(v).toBeGreaterThanOrEqual(lo);
      expect(v).toBeLessThanOrEqual(hi);
    });
  }

  it('identical non-empty texts get the top score', async () => {
    for (const [metric, , hi] of TEXT_METRICS) {
      for (const [, output] of CASES.slice(0, 4)) {
        const v = scoreValue(await metric.score(ctx(output, output)))!;
        const top = hi > 2 ? 100 : 1;
        expect(v, `${metric.name} on ${output}`).toBeGreaterThan(top * (1 - 1e-9));
      }
    }
  });
});

describe('1 MB outputs are scored by every metric (nothing quadratic in the output length)', () => {
  const reference = 'The quick brown fox jumps over the lazy dog.';
  for (const [metric, lo, hi] of TEXT_METRICS) {
    it(metric.name, async () => {
      const v = scoreValue(await metric.score(ctx(reference, ONE_MB)))!;
      expect(v).toBeGreaterThanOrEqual(lo);
      expect(v).toBeLessThanOrEqual(hi);
    });
  }
  it('regexMatch, jsonValid, jsonMatch', async () => {
    expect(regexMatch(/lazy dog/).score(ctx(undefined, ONE_MB))).toBe(1);
    expect(jsonValid().score(ctx(undefined, ONE_MB))).toMatchObject({ value: 0 });
    const bigJson = JSON.stringify({
      items: Array.from({ length: 50_000 }, (_, i) => ({ i, s: 'xxxxxxxx' })),
    });
    expect(bigJson.length).toBeGreaterThan(1_000_000);
    expect(jsonMatch().score(ctx(JSON.parse(bigJson), bigJson))).toEqual({ value: 1 });
  });
});

describe('non-string outputs are a TypeError naming the example', () => {
  const all: Metric[] = [...TEXT_METRICS.map(([m]) => m), regexMatch(/x/), jsonValid(), jsonMatch()];
  it.each([
    [42, '`42` (number)'],
    [null, '`null` (null)'],
    [{ text: 'hi' }, '`object` (object)'],
    [['a'], '`array(1)` (array)'],
  ])('output %j', async (output, shown) => {
    for (const m of all) {
      const run = async () => m.score(ctx({ a: 1 }, output, 'bad-1'));
      await expect(run(), m.name).rejects.toThrow(
        new TypeError(
          `Metric \`${m.name}\` expected the output of example "bad-1" to be a string, got ${shown}`,
        ),
      );
    }
  });
});
