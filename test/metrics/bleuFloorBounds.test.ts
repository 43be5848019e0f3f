// BLEU's 'floor' smoothing puts `smoothValue` matches in an order with none, so its precision is
// 100 · smoothValue / total: past 100% when smoothValue exceeds the order's n-gram count. With smoothValue 4 the
// corpus BLEU of two rows was 104.77, reported by evaluate() as the metric's mean outside its bounds [0, 100].
// A floor above one match is refused; from 0 to 1 every score stays within [0, 100].
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate.js';
import { bleu, corpusBleu, sentenceBleu } from '../../src/metrics/index.js';
import { check } from '../properties/_prop.js';

describe("BLEU 'floor' smoothing stays within [0, 100]", () => {
  it('a floor above one match is a RangeError naming smoothValue', () => {
    const err = new RangeError(
      "Expected `smoothValue` to be a number in [0, 1] with smooth 'floor', got `4` (number)",
    );
    const o = { smooth: 'floor', smoothValue: 4 } as const;
    expect(() => sentenceBleu('a b c x', ['a b c y x'], o)).toThrow(err);
    expect(() => corpusBleu(['a b c x'], [['a b c y x']], o)).toThrow(err);
    expect(() => bleu(o)).toThrow(err);
    expect(() => bleu({ smooth: 'floor', smoothValue: 1.5 })).toThrow(RangeError);
    // add-k may add any k: (matches + k) / (total + k) never passes 1.
    expect(sentenceBleu('a b c x', ['a b c y x'], { smooth: 'add-k', smoothValue: 4 }).score).toBeLessThan(
      100,
    );
  });

  it('evaluate() with the largest floor allowed (1) keeps corpus BLEU within 100', async () => {
    const ds = [
      { id: '1', input: 'a b c x', reference: 'a b c y x' },
      { id: '2', input: 'the cat sat', reference: 'the cat sat' },
    ];
    const r = await evaluate(ds, async (x) => x as string, [bleu({ smooth: 'floor', smoothValue: 1 })], {
      progress: false,
    });
    expect(r.metrics.bleu!.mean).toBeLessThanOrEqual(100);
  });

  it('property: with a floor in [0, 1], sentence and corpus BLEU lie in [0, 100]', () => {
    const words = fc
      .array(fc.constantFrom('a', 'b', 'c', 'd', 'x'), { minLength: 1, maxLength: 8 })
      .map((w) => w.join(' '));
    const floor = fc.double({ min: 0, max: 1, noNaN: true });
    check(
      "BLEU 'floor' within [0, 100]",
      300,
      fc.property(fc.array(fc.tuple(words, words), { minLength: 1, maxLength: 4 }), floor, (rows, k) => {
        const o = { smooth: 'floor', smoothValue: k } as const;
        const tol = 100 + 1e-7;
        for (const [h, r] of rows) {
          const s = sentenceBleu(h, [r], o).score;
          if (!(s >= 0 && s <= tol)) throw new Error(`sentence ${JSON.stringify([h, r, k])} = ${s}`);
        }
        const c = corpusBleu(
          rows.map(([h]) => h),
          rows.map(([, r]) => [r]),
          o,
        ).score;
        if (!(c >= 0 && c <= tol)) throw new Error(`corpus ${JSON.stringify([rows, k])} = ${c}`);
      }),
    );
  });
});
