/**
 * saveResult of an in-memory result whose records hold what JSON cannot write.
 *
 * Regression: a record holding a BigInt (an example field, a metric's details) or a cycle failed saveResult with
 * JSON.stringify's own message (`Do not know how to serialize a BigInt`), naming neither the record nor the field.
 * Values JSON writes with a change (a Date, NaN, a Map) are saved as JSON writes them, and the numbers and ids of
 * the loaded result are the ones in memory.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compare, evaluate, loadResult, type Metric, saveResult } from '../../src/index.js';
import { exactMatch } from '../../src/metrics/index.js';

const dir = mkdtempSync(join(tmpdir(), 'evalgate-save-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cyclic = () => {
  const o: Record<string, unknown> = {};
  o.self = o;
  return o;
};

describe('saveResult: a record JSON cannot write', () => {
  it.each([
    ['a BigInt input', { input: { n: 10n } }, 'result.examples[0].input.n: a BigInt (JSON cannot write it)'],
    [
      'a BigInt in metadata',
      { input: 'q', metadata: { big: [1n] } },
      'result.examples[0].metadata.big[0]: a BigInt (JSON cannot write it)',
    ],
    [
      'a cyclic reference',
      { input: 'q', reference: cyclic() },
      'result.examples[0].reference.self: a cyclic reference (JSON cannot write it)',
    ],
  ])('%s is refused naming the field, and nothing is written', async (_what, fields, problem) => {
    const r = await evaluate([{ id: 'a', ...fields }], async () => 'a', [exactMatch()], { progress: false });
    const path = join(dir, `${_what}.json`);
    await expect(saveResult(r, path)).rejects.toThrow(
      new TypeError(`Cannot save \`result\` to "${path}": ${problem}`),
    );
    expect(existsSync(path)).toBe(false);
  });

  it("a metric's details holding a BigInt", async () => {
    const m: Metric = { name: 'm', kind: 'binary', score: () => ({ value: 1, details: { n: 2n } }) };
    const r = await evaluate([{ id: 'a', input: 'q' }], async () => 'a', [m], { progress: false });
    const path = join(dir, 'details.json');
    await expect(saveResult(r, path)).rejects.toThrow(
      new TypeError(
        `Cannot save \`result\` to "${path}": result.examples[0].details.m.n: a BigInt (JSON cannot write it)`,
      ),
    );
  });
});

describe('saveResult then loadResult: what JSON writes with a change', () => {
  it('keeps every number and id (Date, NaN, Infinity, -0, Map, Set, undefined, holes, lone surrogates in fields)', async () => {
    const odd = {
      d: new Date(0),
      x: Number.NaN,
      i: Number.NEGATIVE_INFINITY,
      z: -0,
      m: new Map([[1, 2]]),
      s: new Set([1]),
      u: undefined,
      // biome-ignore lint/suspicious/noSparseArray: the hole is a case.
      h: [1, , undefined],
      l: '\ud800',
    };
    const data = Array.from({ length: 12 }, (_, k) => ({
      id: `q${k}\udc00`,
      input: { ...odd, k },
      reference: k % 3 === 0 ? 'b' : 'a',
      metadata: odd,
    }));
    const r = await evaluate(data, async () => 'a', [exactMatch()], { progress: false, seed: 3 });
    const path = join(dir, 'odd.json');
    await saveResult(r, path);
    const loaded = await loadResult(path);
    expect(loaded.examples.map((e) => e.id)).toEqual(r.examples.map((e) => e.id));
    expect(loaded.metrics.exact_match).toEqual(r.metrics.exact_match);
    expect(loaded.scores).toEqual(r.scores);
    expect(loaded.examples[0]?.input).toEqual(JSON.parse(JSON.stringify(r.examples[0]?.input)));
    const c = compare(r, loaded);
    const d = c.metrics.exact_match!;
    expect([d.difference, d.baselineMean, d.candidateMean]).toEqual([
      0,
      r.metrics.exact_match!.mean,
      r.metrics.exact_match!.mean,
    ]);
  });
});
