/**
 * segmentTable() takes segment names from the caller's data (a category, a file name): a segment named like a
 * property every object has (`__proto__`, `constructor`) is a row like any other, never the prototype of the
 * table's record (where it vanished from the table and its display).
 */
import { describe, expect, it } from 'vitest';
import { evaluate, segmentBundle, segmentTable } from '../../src/index.js';
import { exactMatch } from '../../src/metrics/index.js';

const run = (wrongEvery: number) =>
  evaluate(
    Array.from({ length: 30 }, (_, i) => ({ id: `q${i}`, input: i, reference: 'yes' })),
    async (x) => ((x as number) % wrongEvery === 0 ? 'no' : 'yes'),
    [exactMatch()],
    { progress: false, resamples: 200, seed: 1 },
  );

describe('segmentTable: segments named like inherited properties', () => {
  it.each(['__proto__', 'constructor', 'toString'])('a segment named "%s" is a row', async (name) => {
    const [a, b] = [await run(2), await run(3)];
    const t = segmentTable(
      Object.fromEntries([
        [name, a],
        ['plain', b],
      ]),
    );
    expect(Object.keys(t.segments)).toEqual([name, 'plain']);
    expect(Object.getPrototypeOf(t.segments)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(t.segments, name)?.value.n).toBe(30);
    const text = segmentBundle(t)['text/plain'];
    expect(text.split('\n').filter((l) => l.startsWith(`${name} `))).toHaveLength(1);
  });

  it('a metric named "constructor" in one segment only leaves the other segment\'s cells empty', async () => {
    const [a, b] = [await run(2), await run(3)];
    const t = segmentTable({
      left: { ...a, metrics: { constructor: a.metrics.exact_match! } },
      right: b,
    });
    const text = segmentBundle(t)['text/plain'];
    expect(text).not.toContain('undefined');
    expect(text).not.toContain('NaN');
  });
});
