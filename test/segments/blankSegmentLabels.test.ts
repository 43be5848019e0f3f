// A segment label that is empty, only whitespace, or the number NaN is a data error, not a segment. Regression:
// `metadata.cat = ''` made a segment named "" (a blank first column in every segment table, `segment ""` in
// warnings) and `metadata.cat = NaN` a segment "NaN" (String(NaN)), both summarized and gated like real ones.
// Now each is a SegmentError naming the example and the field, before that example's model call.
import { describe, expect, it } from 'vitest';
import { type Example, evaluate, SegmentError } from '../../src/index.js';
import { exactMatch } from '../../src/metrics/index.js';

describe('segmentBy: a blank or NaN label is refused', () => {
  it.each([
    ['an empty string', '', '`""` (string)'],
    ['whitespace only', ' \t', '`" \\t"` (string)'],
    ['NaN', Number.NaN, '`NaN` (number)'],
    ['NaN in an array', ['a', Number.NaN], '`NaN` (number)'],
  ])('%s, by metadata key and by function, before its model call', async (_what, label, shown) => {
    for (const [segmentBy, where] of [
      ['cat', 'at `metadata.cat`'],
      [(e: Example) => e.metadata?.cat as string, 'at the return value of the function'],
    ] as const) {
      const seen: unknown[] = [];
      const data = [
        { id: 'ok', input: 1, metadata: { cat: 'a' } },
        { id: 'blank', input: 2, metadata: { cat: label } },
      ];
      const err = await evaluate(
        data,
        async (input) => {
          seen.push(input);
          return 'x';
        },
        [exactMatch()],
        { segmentBy, concurrency: 1, progress: false },
      ).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SegmentError);
      expect((err as SegmentError).exampleId).toBe('blank');
      expect((err as Error).message).toBe(
        `Expected \`segmentBy\` to give a label that names a segment for example "blank", got ${shown} ${where}: a blank or NaN label is a missing value, not a segment (give \`undefined\` or \`[]\` for no segment, or a name such as "unknown")`,
      );
      expect(seen).not.toContain(2);
    }
  });

  it('other numbers and booleans are still labels (String(value)), and a string "NaN" is a name', async () => {
    const data = [0, 1.5, -0, true, 'NaN', Number.POSITIVE_INFINITY].map((cat, i) => ({
      id: `e${i}`,
      input: i,
      metadata: { cat },
    }));
    const r = await evaluate(data, async () => 'x', [exactMatch()], {
      segmentBy: 'cat',
      progress: false,
      resamples: 20,
    });
    expect(Object.keys(r.segments!).sort()).toEqual(['0', '1.5', 'Infinity', 'NaN', 'true'].sort());
  });
});
