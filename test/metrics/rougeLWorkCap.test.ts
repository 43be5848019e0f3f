// ROUGE-L's LCS is quadratic in tokens (bit-parallel: about 3·10^9 token pairs a second), and a metric's
// synchronous work is not interrupted by metricTimeoutMs: two texts of a million CJK characters (a million tokens
// each, 10^12 pairs) held the row for over 5 minutes (extrapolated: 300,000 x 300,000 took 29 s). Past `maxCells`
// (1e11 by default) it is now a RangeError naming the limit and the example, as Levenshtein's cap. The time is
// only checked with a generous hang detector.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rougeL, rougeLScore } from '../../src/metrics/index.js';
import { check } from '../properties/_prop.js';
import { ctx } from './_helpers.js';

describe('ROUGE-L work cap', () => {
  it('two texts of a million tokens each are a RangeError naming maxCells, not minutes of work', () => {
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, '_rougeLongRun.ts')],
      {
        encoding: 'utf8',
        timeout: 60_000,
        maxBuffer: 1 << 20,
      },
    );
    expect(r.signal, 'hang detector: killed after 60 s').toBeNull();
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      name: 'RangeError',
      message:
        'ROUGE-L for example "long": the LCS of 1000000 x 1000000 tokens would take 1000000000000 cells, over `maxCells` (100000000000); raise `maxCells` or shorten the texts',
    });
  }, 90_000);

  it('maxCells is checked per reference and named in the message; the pure function takes it too', () => {
    expect(() => rougeLScore('a b c', ['a', 'a b c d e'], { maxCells: 10 })).toThrow(
      new RangeError(
        'ROUGE-L: the LCS of 3 x 5 tokens would take 15 cells, over `maxCells` (10); raise `maxCells` or shorten the texts',
      ),
    );
    expect(rougeLScore('a b c', ['a', 'a b c'], { maxCells: 9 }).fmeasure).toBe(1);
    expect(() => rougeL({ maxCells: 2 }).score(ctx('x y z', 'x', 'q1'))).toThrow(
      new RangeError(
        'ROUGE-L for example "q1": the LCS of 1 x 3 tokens would take 3 cells, over `maxCells` (2); raise `maxCells` or shorten the texts',
      ),
    );
    for (const bad of [0, 0.5, Number.NaN])
      expect(() => rougeL({ maxCells: bad })).toThrow(
        new RangeError(`Expected \`maxCells\` to be a number >= 1, got \`${bad}\` (number)`),
      );
    expect(() => rougeLScore('a', 'a', { maxCells: '9' as never })).toThrow(TypeError);
  });

  it('under the cap, scores are those without it (seeded property)', () => {
    const words = fc.array(fc.constantFrom('the', 'cat', 'sat', 'mat', '日', '本', 'é'), { maxLength: 12 });
    check(
      'ROUGE-L unchanged under maxCells',
      300,
      fc.property(words, fc.array(words, { minLength: 1, maxLength: 3 }), (o, refs) => {
        const out = o.join(' ');
        const rs = refs.map((r) => r.join(' '));
        const cap = Math.max(1, ...refs.map((r) => r.length * o.length));
        return (
          JSON.stringify(rougeLScore(out, rs)) === JSON.stringify(rougeLScore(out, rs, { maxCells: cap })) &&
          JSON.stringify(rougeLScore(out, rs)) ===
            JSON.stringify(rougeLScore(out, rs, { maxCells: Number.POSITIVE_INFINITY }))
        );
      }),
    );
  });
});
