// Regression tests of issue 19: the five failures at the edges (bounds, constant data, few rows, extreme
// confidence, wrong bounds), each through evaluate() / compare() / the matchers as a user reaches them.
import { describe, expect, it } from 'vitest';
import '../../src/vitest/index.js';
import { compare, type Example, evaluate, type Metric } from '../../src/index.js';
import { bleu, chrf, corpusBleu, corpusChrf, sentenceBleu } from '../../src/metrics/index.js';
import { boundedMeanInterval, clopperPearsonInterval } from '../../src/stats/index.js';

const rel = (got: number, want: number) => Math.abs(got - want) <= 1e-9 * Math.abs(want);
const opts = { progress: false, resamples: 999 } as const;

// Eight rows, four of them exact matches (sentence BLEU 100.00000000000004 in floating point).
const refs = [
  'the quick brown fox jumps over the lazy dog',
  'a cat sat on the mat today',
  'hello world this is a test sentence',
  'one two three four five six seven',
  'rain falls softly on the quiet town',
  'she sells sea shells by the shore',
  'time flies like an arrow in the wind',
  'fruit flies like a ripe banana here',
];
const outs = [
  refs[0]!,
  'a cat sat on a mat today',
  refs[2]!,
  'one two three four five six',
  refs[4]!,
  'she sells shells by the sea shore',
  refs[6]!,
  'fruit flies like bananas',
];
const textDs: Example[] = refs.map((r, i) => ({ id: `t${i}`, input: outs[i], reference: r }));
const echo = async (input: unknown) => String(input);
/** Sentence BLEU as a per-row (mean-aggregated) metric. */
const sentBleu = (name = 'bleu'): Metric => ({
  name,
  kind: 'continuous',
  bounds: [0, 100],
  score: ({ example, output }) => sentenceBleu(output, [String(example.reference)]).score,
});

describe('(a) a score past its bound by rounding is the bound, never dropped', () => {
  it('a perfect sentence BLEU (100.00000000000004) is kept as 100', async () => {
    expect(sentenceBleu(refs[0]!, [refs[0]!]).score).toBeGreaterThan(100); // the floating-point fact
    const r = await evaluate([textDs[0]!], echo, [sentBleu()], opts);
    const m = r.metrics.bleu!;
    expect(m.n).toBe(1);
    expect(m.nMissing).toBe(0);
    expect(m.mean).toBe(100);
    expect(m.warning ?? '').not.toMatch(/no scored examples/);
    expect(r.warnings ?? []).toEqual([]);
  });

  it('corpus BLEU and chrF summaries equal the library corpus functions (= sacrebleu) on all rows', async () => {
    const r = await evaluate(textDs, echo, [bleu(), chrf()], opts);
    const wantBleu = corpusBleu(outs, refs).score;
    const wantChrf = corpusChrf(outs, refs).score;
    expect(r.metrics.bleu!.n).toBe(8);
    expect(r.metrics.bleu!.nMissing).toBe(0);
    expect(rel(r.metrics.bleu!.mean, wantBleu)).toBe(true);
    expect(rel(r.metrics.chrf!.mean, wantChrf)).toBe(true);
  });

  it('a score clearly outside its bounds is missing with a warning, and a few of them do not break the metric', async () => {
    const ds: Example[] = Array.from({ length: 100 }, (_, i) => ({ id: `e${i}`, input: i }));
    const m: Metric = {
      name: 'm',
      kind: 'continuous',
      bounds: [0, 1],
      score: ({ example }) => (example.input === 3 ? 1.5 : example.input === 4 ? 1 + 1e-12 : 0.5),
    };
    const r = await evaluate(ds, echo, [m], opts);
    expect(r.metrics.m!.n).toBe(99);
    expect(r.metrics.m!.nMissing).toBe(1);
    expect(r.metrics.m!.broken).toBeUndefined();
    expect(r.warnings?.some((w) => w.includes('returned 1.5'))).toBe(true);
    expect(r.examples.find((e) => e.id === 'e4')!.scores.m).toBe(1);
  });
});

describe('(b) constant data and self-comparison', () => {
  it('chrF 100 on every row gets a valid, finite interval containing 100', async () => {
    const perfect: Example[] = refs.map((r, i) => ({ id: `p${i}`, input: r, reference: r }));
    const r = await evaluate(perfect, echo, [chrf(), bleu()], opts);
    for (const name of ['chrf', 'bleu']) {
      const m = r.metrics[name]!;
      expect(m.mean).toBe(100);
      expect(Number.isFinite(m.ci.low) && Number.isFinite(m.ci.high)).toBe(true);
      expect(m.ci.low).toBeLessThanOrEqual(100);
      expect(m.ci.high).toBe(100);
      expect(m.ci.low).toBeGreaterThanOrEqual(0);
    }
  });

  it('compare(run, run) on BLEU and chrF: difference 0, [0, 0], p = 1, non-inferior at margin 0', async () => {
    const r = await evaluate(textDs, echo, [bleu(), chrf(), sentBleu('sbleu')], opts);
    const c = compare(r, r, { margin: 0, resamples: 999 });
    for (const name of ['bleu', 'chrf', 'sbleu']) {
      const m = c.metrics[name]!;
      expect(m.difference).toBe(0);
      expect([m.ci.low, m.ci.high]).toEqual([0, 0]);
      expect(m.pValue).toBe(1);
      expect(m.nonInferior).toBe(true);
    }
    expect(compare(r, r)).toBeNonInferior({ margin: 0 });
  });
});

describe('(c) few rows of a bounded continuous metric get the bounded-mean interval', () => {
  const f1: Metric = { name: 'f1', kind: 'continuous', bounds: [0, 1], score: () => 0.7 };
  it('one example scoring 0.7 cannot certify a lower bound of 0.6', async () => {
    const r = await evaluate([{ id: 'a', input: 'x' }], echo, [f1], opts);
    const m = r.metrics.f1!;
    expect(m.ci.method).toBe('bounded-mean');
    expect(m.ci.note).toMatch(/only 1 scored examples/);
    expect(m.ci.low).toBeLessThan(0.3);
    expect(m.ci.low).toBeLessThanOrEqual(0.7);
    expect(m.ci.high).toBeGreaterThanOrEqual(0.7);
    expect(r).not.toHaveLowerBoundAtLeast('f1', 0.6);
  });

  it('equals boundedMeanInterval on the rows (constant scores, n = 10)', async () => {
    const ds = Array.from({ length: 10 }, (_, i) => ({ id: `e${i}`, input: i }));
    const r = await evaluate(ds, echo, [f1], { ...opts, confidence: 0.9 });
    const want = boundedMeanInterval(Array(10).fill(0.7), [0, 1], 0.9);
    expect(r.metrics.f1!.ci).toMatchObject({
      low: want.low,
      high: want.high,
      level: 0.9,
      method: 'bounded-mean',
    });
  });
});

describe('(d) a tail the resamples cannot resolve', () => {
  const half: Example[] = Array.from({ length: 100 }, (_, i) => ({ id: `e${i}`, input: i }));
  const correct: Metric = {
    name: 'correct',
    kind: 'binary',
    score: ({ example }) => Number(example.input) % 2,
  };
  it('confidence 0.999999 on 50 of 100 is the exact Clopper-Pearson interval (scipy 1.17.1)', async () => {
    const r = await evaluate(half, echo, [correct], { progress: false, confidence: 0.999999 });
    const m = r.metrics.correct!;
    // scipy.stats.binomtest(50, 100).proportion_ci(0.999999, 'exact')
    expect(rel(m.ci.low, 0.26563035341038527)).toBe(true);
    expect(rel(m.ci.high, 0.7343696465896147)).toBe(true);
    expect(m.ci.method).toBe('clopper-pearson');
    expect(m.warning).toMatch(/cannot resolve the tail/);
    const cp = clopperPearsonInterval(50, 100, 0.999999);
    expect([m.ci.low, m.ci.high]).toEqual([cp.low, cp.high]);
  });

  it('a bounded continuous metric at extreme confidence gets the bounded-mean interval', async () => {
    const sc: Metric = {
      name: 's',
      kind: 'continuous',
      bounds: [0, 1],
      score: ({ example }) => (Number(example.input) % 7) / 6,
    };
    const r = await evaluate(half, echo, [sc], { progress: false, confidence: 0.999999 });
    expect(r.metrics.s!.ci.method).toBe('bounded-mean');
    expect(r.metrics.s!.warning).toMatch(/cannot resolve the tail/);
    expect(r.metrics.s!.ci.note).toMatch(/resamples × \(1 − confidence\)\/2/);
  });

  it('resamples: 2 never gives an interval that excludes the mean', async () => {
    const r = await evaluate(half, echo, [correct], { progress: false, resamples: 2 });
    const m = r.metrics.correct!;
    expect(m.ci.low).toBeLessThanOrEqual(m.mean);
    expect(m.ci.high).toBeGreaterThanOrEqual(m.mean);
    expect(m.ci.method).toBe('clopper-pearson');
    expect(m.warning).toMatch(/resamples/);
  });
});

describe('(e) wrong declared bounds make a broken metric', () => {
  // A 1-5 judge declared [0, 1]: 16 of 70 scores happen to be in range.
  const judged: Example[] = Array.from({ length: 70 }, (_, i) => ({ id: `j${i}`, input: i }));
  const judge: Metric = {
    name: 'judge',
    kind: 'continuous',
    bounds: [0, 1],
    score: ({ example }) => (Number(example.input) < 16 ? 1 : 2 + (Number(example.input) % 4)),
  };
  it('its summary says broken, a gate refuses to decide, and the matchers fail naming it', async () => {
    const r = await evaluate(judged, echo, [judge], { ...opts, gate: { metric: 'judge', atLeast: 0.5 } });
    expect(r.metrics.judge!.broken).toEqual({ outOfBounds: 54, n: 70 });
    expect(r.run.stoppedBy).toBeNull();
    expect(r.warnings?.some((w) => /`judge` is broken/.test(w))).toBe(true);
    expect(r.gate!.decision).toBe('undecided');
    expect(r.gate!.refused).toMatch(/judge/);
    expect(() => expect(r).toHaveLowerBoundAtLeast('judge', 0.5)).toThrow(/`judge` is broken/);
    expect(() => expect(r).not.toHaveLowerBoundAtLeast('judge', 0.5)).toThrow(/`judge` is broken/);
    const c = compare(r, r, { margin: 0.1, resamples: 999 });
    expect(c.metrics.judge!.broken).toMatch(/judge/);
    expect(() => expect(c).toBeNonInferior()).toThrow(/`judge` is broken/);
  });
});

describe('(d) an unbounded metric with too few resamples', () => {
  it('keeps the bootstrap but warns with the minimum resamples for the confidence', async () => {
    const ds: Example[] = Array.from({ length: 40 }, (_, i) => ({ id: `u${i}`, input: i }));
    const len: Metric = {
      name: 'len',
      kind: 'continuous',
      score: ({ example }) => Number(example.input) ** 1.5,
    };
    const r = await evaluate(ds, echo, [len], { progress: false, resamples: 10 });
    expect(r.metrics.len!.warning).toMatch(/cannot resolve the tail of confidence 0.95 .*at least 40/);
    const ok = await evaluate(ds, echo, [len], { progress: false, resamples: 999 });
    expect(ok.metrics.len!.warning).toBeUndefined();
  });
});

describe('shrunk by fast-check (test/properties)', () => {
  it('a 99% interval contains the 95% one on two binary rows [0, 1] with 199 resamples', async () => {
    // Once: 95% was BCa [0, 1], 99% (199 × 0.005 < 1 resample in the tail) Clopper-Pearson [0.0025, 0.9975].
    const ds: Example[] = [
      { id: 'a', input: 0 },
      { id: 'b', input: 0.5 },
    ];
    const b: Metric = {
      name: 'b',
      kind: 'binary',
      score: ({ example }) => (Number(example.input) >= 0.5 ? 1 : 0),
    };
    const lo = await evaluate(ds, echo, [b], { progress: false, resamples: 199, confidence: 0.95 });
    const hi = await evaluate(ds, echo, [b], { progress: false, resamples: 199, confidence: 0.99 });
    expect(hi.metrics.b!.ci.low).toBeLessThanOrEqual(lo.metrics.b!.ci.low);
    expect(hi.metrics.b!.ci.high).toBeGreaterThanOrEqual(lo.metrics.b!.ci.high);
    expect(lo.metrics.b!.ci.method).toBe('clopper-pearson');
  });
});
