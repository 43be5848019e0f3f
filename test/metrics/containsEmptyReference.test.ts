// `contains` with an empty reference: '' is in every output, so such a row scores 1 whatever the model said. An
// empty reference is almost always a data error (a blank cell, a failed join). Regression: the run said nothing,
// so with 3 blank references of 10 a run whose 7 real rows passed 2 times (0.29) reported
// 0.5, silently. The score stays 1 (the pure containsScore
// documents it, and every text metric gives a defined score on an empty reference), but the row's details say
// `emptyReference: true` and the run carries one warning counting such rows.
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/index.js';
import { contains } from '../../src/metrics/index.js';
import { ctx } from './_helpers.js';

const warningsOf = (w: readonly string[] | undefined) =>
  (w ?? []).filter((x) => x.includes('empty reference'));

describe('contains: an empty reference is flagged, not silently passed', () => {
  it('3 blank references of 10: the mean counts them as passes, and the run says how many', async () => {
    // Outputs contain the reference for rows 0 and 1 only; rows 7, 8, 9 have a blank reference.
    const data = Array.from({ length: 10 }, (_, i) => ({
      id: `e${i}`,
      input: i,
      reference: i >= 7 ? '' : `needle${i}`,
    }));
    const r = await evaluate(
      data,
      async (x) => (Number(x) < 2 ? `has needle${x}` : 'nothing'),
      [contains()],
      {
        progress: false,
        resamples: 50,
      },
    );
    expect(r.metrics.contains!.mean).toBe(0.5);
    expect(warningsOf(r.warnings)).toEqual([
      "metric `contains`: 3 of the 10 rows it scored have an empty reference (''), which every output contains: they scored 1 whatever the output (an empty reference is usually a data error; those records' details.emptyReference)",
    ]);
    expect(r.examples.filter((e) => e.scores.contains !== undefined).length).toBe(10);
  });

  it('no blank reference: no warning', async () => {
    const data = [{ id: 'a', input: 0, reference: 'x' }];
    const r = await evaluate(data, async () => 'x', [contains()], { progress: false, resamples: 20 });
    expect(warningsOf(r.warnings)).toEqual([]);
  });

  it.each([
    ['any: one blank needle decides', {}, ['', 'Paris'], 'Lyon', true],
    ['all: every needle blank', { mode: 'all' as const }, ['', ''], 'Lyon', true],
    [
      'all: a blank needle beside a real one decides nothing',
      { mode: 'all' as const },
      ['', 'Paris'],
      'Lyon',
      false,
    ],
    ['a plain blank string', { ignoreCase: true }, '', 'anything', true],
  ])('%s', async (_what, options, reference, output, flagged) => {
    const s = await contains(options).score(ctx(reference, output));
    if (flagged) expect(s).toEqual({ value: 1, details: { emptyReference: true } });
    else expect(s).toBe(0);
  });
});
