import { describe, expect, it } from 'vitest';
import { type Example, evaluate, type Metric, SegmentError } from '../../src/index.js';
import { bleu, corpusBleu, exactMatch } from '../../src/metrics/index.js';
import { loadResult } from '../../src/result/loadResult.js';
import { saveResult } from '../../src/result/saveResult.js';
import { bootstrapCI } from '../../src/stats/index.js';
import { CATEGORIES, dataset, runOf, sets } from './_segmentRuns.js';

const echo = async (input: unknown) => String(input);

describe('segmentBy: per-segment summaries', () => {
  it('summarizes every metric per category with bootstrapCI on that category’s rows (same seed)', async () => {
    const r = await runOf('baseline');
    expect(Object.keys(r.segments!)).toEqual([...CATEGORIES].sort());
    expect(r.config.segmentBy).toBe('category');
    for (const category of CATEGORIES) {
      const rows = dataset.map((_, i) => i).filter((i) => dataset[i]!.metadata!.category === category);
      const values = rows.map((i) => (sets.baseline.has(i) ? 1 : 0));
      const want = bootstrapCI(values, { seed: 7, resamples: 999 });
      const s = r.segments![category]!.exact_match!;
      expect(s.n).toBe(150);
      expect(s.mean).toBe(want.estimate);
      expect(s.ci).toEqual({ low: want.low, high: want.high, level: 0.95, method: 'bca' });
      expect(s.stderr).toBe(want.stderr);
      expect(s.warning).toBeUndefined();
      expect(r.scores.segments!.filter((labels) => labels.includes(category))).toHaveLength(150);
    }
    // The overall interval is untouched by segments: still the plain bootstrap of all 600 rows.
    const all = bootstrapCI(
      dataset.map((_, i) => (sets.baseline.has(i) ? 1 : 0)),
      { seed: 7, resamples: 999 },
    );
    expect(r.metrics.exact_match!.ci.low).toBe(all.low);
    expect(r.metrics.exact_match!.ci.high).toBe(all.high);
    // metadata is kept on every record, as given.
    expect(r.examples[3]!.metadata).toEqual(dataset[3]!.metadata);
  });

  it('re-aggregates a corpus metric per segment: corpus BLEU of the segment’s rows', async () => {
    const hyps = [
      'the cat sat on the mat',
      'a dog barked loudly at night',
      'hello world',
      'it is raining today',
      'we went home early',
      'the sun is up',
      'she reads a long book',
      'a bird sang in the tree',
    ];
    const refs = [
      'the cat is on the mat',
      'the dog barked at night',
      'hello there world',
      'it rains today',
      'we left home early',
      'the sun is rising',
      'she reads a book',
      'the bird sang in a tree',
    ];
    const data = hyps.map((h, i) => ({
      id: `b${i}`,
      input: h,
      reference: refs[i]!,
      metadata: { lang: i < 5 ? 'en-a' : 'en-b' },
    }));
    const r = await evaluate(data, echo, [bleu()], { segmentBy: 'lang', resamples: 499, progress: false });
    for (const [lang, range] of [
      ['en-a', [0, 5]],
      ['en-b', [5, 8]],
    ] as const) {
      const s = r.segments![lang]!.bleu!;
      expect(s.aggregation).toBe('corpus');
      expect(s.n).toBe(range[1] - range[0]);
      expect(s.mean).toBe(
        corpusBleu(
          hyps.slice(...range),
          refs.slice(...range).map((x) => [x]),
        ).score,
      );
      expect(s.warning).toMatch(/only \d scored examples in segment "en-\w": an interval from fewer than 30/);
    }
  });

  it('takes a dotted field path and a function giving several segments per example', async () => {
    const data: Example[] = Array.from({ length: 40 }, (_, i) => ({
      id: `x${i}`,
      input: { lang: i % 2 === 0 ? 'fr' : 'de', n: i },
      reference: String(i % 3 === 0 ? i : -1),
    }));
    const model = async (input: unknown) => String((input as { n: number }).n);
    const byPath = await evaluate(data, model, [exactMatch()], {
      segmentBy: 'input.lang',
      resamples: 199,
      progress: false,
    });
    expect(Object.keys(byPath.segments!)).toEqual(['de', 'fr']);
    expect(byPath.segments!.fr!.exact_match!.n).toBe(20);
    expect(byPath.config.segmentBy).toBe('input.lang');

    const multi = await evaluate(data, model, [exactMatch()], {
      segmentBy: (e) => {
        const n = (e.input as { n: number }).n;
        return n < 10 ? ['small', 'all'] : n % 2 === 0 ? ['all'] : [];
      },
      resamples: 199,
      progress: false,
    });
    expect(multi.segments!.small!.exact_match!.n).toBe(10);
    expect(multi.segments!.all!.exact_match!.n).toBe(25);
    expect(multi.config.segmentBy).toBe('function');
    expect(multi.warnings).toContain(
      '15 of 40 rows are in no segment (`segmentBy` found no label): they count in the overall metrics only',
    );
  });

  it('keeps segments named like Object.prototype properties and survives a save/load round trip', async (ctx) => {
    const data = Array.from({ length: 6 }, (_, i) => ({
      id: `p${i}`,
      input: String(i),
      reference: String(i),
      metadata: { kind: i < 3 ? '__proto__' : 'constructor' },
    }));
    const r = await evaluate(data, echo, [exactMatch()], {
      segmentBy: 'kind',
      resamples: 99,
      progress: false,
    });
    expect(Object.keys(r.segments!)).toEqual(['__proto__', 'constructor']);
    expect(Object.getPrototypeOf(r.segments)).toBe(Object.prototype);
    const { mkdtemp } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'evalgate-seg-'));
    const file = join(dir, `${ctx.task.id}.json`);
    await saveResult(r, file);
    const back = await loadResult(file);
    expect(back.segments).toEqual(r.segments);
    expect(back.scores.segments).toEqual(r.scores.segments);
  });

  it.each([
    [42, 'Expected `segmentBy` to be a metadata key, a dotted field path or a function, got `42` (number)'],
    ['', 'Expected `segmentBy` to be a metadata key, a dotted field path or a function, got `""` (string)'],
    [
      'a..b',
      'Expected `segmentBy` to be a metadata key, a dotted field path or a function, got `"a..b"` (string)',
    ],
  ])('refuses segmentBy %j before anything runs', async (bad, message) => {
    let called = 0;
    await expect(
      evaluate([{ input: 1 }], async () => `${++called}`, [exactMatch()], {
        segmentBy: bad as string,
        progress: false,
      }),
    ).rejects.toThrow(message);
    expect(called).toBe(0);
  });

  it('stops with a SegmentError naming the example when a label is not a string, before its model call', async () => {
    const seen: unknown[] = [];
    const data = [
      { id: 'ok', input: 1, metadata: { cat: 'a' } },
      { id: 'bad', input: 2, metadata: { cat: { nested: true } } },
    ];
    const err = await evaluate(
      data,
      async (input) => {
        seen.push(input);
        return 'x';
      },
      [exactMatch()],
      { segmentBy: 'cat', concurrency: 1, progress: false },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SegmentError);
    expect((err as SegmentError).exampleId).toBe('bad');
    expect((err as SegmentError).code).toBe('E_SEGMENT');
    expect((err as Error).message).toMatch(
      /^Expected `segmentBy` to give a string \(or an array of strings\) for example "bad", got .* at `metadata\.cat`$/,
    );
    expect(seen).not.toContain(2);

    const thrower = await evaluate(data, echo, [exactMatch()], {
      segmentBy: () => {
        throw new Error('no category');
      },
      progress: false,
    }).catch((e: unknown) => e);
    expect(thrower).toBeInstanceOf(SegmentError);
    expect((thrower as Error).message).toMatch(/^`segmentBy` threw for example "(ok|bad)": no category$/);
  });
});

describe('segmentBy: an array with holes', () => {
  // Regression: `map` skips the holes of a sparse array, so `metadata.cat = [, 'a']` put the example in a segment
  // labelled "undefined" (the same segment as a real label "undefined"), where `[undefined, 'a']` is refused.
  it.each([
    ['a metadata key', 'cat', 'at `metadata.cat`'],
    ['a function', (ex: Example) => ex.metadata?.cat as string[], 'at the return value of the function'],
  ])(
    'refuses a hole as it refuses undefined, through %s, before the model call',
    async (_how, segmentBy, where) => {
      const seen: unknown[] = [];
      // biome-ignore lint/suspicious/noSparseArray: the hole is the case under test.
      const holes = [, 'a'];
      const data = [
        { id: 'named', input: 1, metadata: { cat: 'undefined' } },
        { id: 'holes', input: 2, metadata: { cat: holes } },
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
      expect((err as SegmentError).exampleId).toBe('holes');
      expect((err as Error).message).toBe(
        `Expected \`segmentBy\` to give a string (or an array of strings) for example "holes", got \`undefined\` (undefined) ${where}`,
      );
      expect(seen).not.toContain(2);
    },
  );
});

describe('group: clustered intervals say when they are fragile', () => {
  const score: Metric = {
    name: 'score',
    kind: 'continuous',
    score: ({ example }) => Number(example.input) % 7,
  };
  it.each([
    [2, true],
    [19, true],
    [20, false],
  ])('%i groups: warning %s', async (k, warned) => {
    const data = Array.from({ length: 60 }, (_, i) => ({ input: i, group: `g${i % k}` }));
    const r = await evaluate(data, echo, [score], { resamples: 199, progress: false });
    expect(r.metrics.score!.ci.method).toBe('cluster-bca');
    const note = `only ${k} groups: an interval from fewer than 20 clusters is too narrow to trust (\`group\` is for dependent examples, not for slicing results)`;
    if (warned) expect(r.metrics.score!.warning).toBe(note);
    else expect(r.metrics.score!.warning).toBeUndefined();
  });
});
