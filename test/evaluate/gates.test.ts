// Anytime-valid gates in evaluate() (issue 14, items 2-3): a gate stops the run as soon as its confidence
// sequence decides, against the mock server through the official openai SDK; the server sees only the rows
// that ran. Paired gates against a baseline; option checks; trials, groups and declared-shuffled streams.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EvalResult, type Example, evaluate, type Metric, openaiModel } from '../../src/index.js';
import { exactMatch } from '../../src/metrics/index.js';
import { confidenceSequence } from '../../src/stats/index.js';
import { type MockServer, startMockServer } from '../../src/testing/index.js';

const N = 2000;
const dataset: Example[] = Array.from({ length: N }, (_, i) => ({
  id: `q${i}`,
  input: `question ${i}`,
  reference: `answer ${i}`,
}));
/** Example i is answered right iff its position in a fixed scramble falls under `accuracy` (exact shares). */
const rightAt = (accuracy: number) => (i: number) => ((i * 7919) % N) / N < accuracy;

let server: MockServer;
beforeAll(async () => {
  server = await startMockServer({
    respond: (req) => {
      // The model name carries the accuracy the "model" answers with: mock-0.9 is right on 90% of examples.
      const accuracy = Number(String(req.body.model).slice('mock-'.length));
      const i = Number(req.lastUserMessage.slice('question '.length));
      return rightAt(accuracy)(i) ? `answer ${i}` : 'no idea';
    },
  });
});
afterAll(() => server.close());

const modelAt = (accuracy: number) =>
  openaiModel({
    model: `mock-${accuracy}`,
    client: new OpenAI({ baseURL: server.url, apiKey: 'test', maxRetries: 0 }),
    temperature: 0,
  });
const base = { concurrency: 4, progress: false, resamples: 200 } as const;
// The mock's model names are not in the price table: price them so the saved bill is a number to check.
const price = { inputPerMillion: 1, outputPerMillion: 2 };
const pricing = { 'mock-0.9': price, 'mock-0.6': price };

describe('gate: { metric, atLeast } against the mock server', () => {
  it('a model at 0.90 gated at 0.70 passes after a few hundred rows; the server saw only those requests', async () => {
    const before = server.stats.requests;
    const r = await evaluate(dataset, modelAt(0.9), [exactMatch()], {
      ...base,
      pricing,
      gate: { metric: 'exact_match', atLeast: 0.7 },
    });
    const g = r.gate!;
    expect(g.decision).toBe('pass');
    expect(r.run.stoppedBy).toBe('decided');
    expect(g.rows).toBeLessThanOrEqual(300);
    expect(g.lower).toBeGreaterThanOrEqual(0.7);
    // What ran: the rows the decision took, plus at most the ones in flight when it was taken.
    expect(r.n).toBeGreaterThanOrEqual(g.rows);
    expect(r.n - g.rows).toBeLessThanOrEqual(base.concurrency);
    expect(server.stats.requests - before).toBe(r.n);
    expect(r.totals.requests).toBe(r.n);
    expect(g.rowsSkipped).toBe(N - r.n);
    expect(g.population).toBe(N);
    expect(g.order).toBe('seeded');
    expect(g.costSavedUsd).toBeGreaterThan(0);
    const perRow = r.totals.costUsd / r.n;
    expect(Math.abs(g.costSavedUsd! - perRow * (N - r.n))).toBeLessThanOrEqual(1e-9 * g.costSavedUsd!);
    // The metric keeps its usual bootstrap interval beside the sequence's.
    expect(r.metrics.exact_match!.n).toBe(r.n);
    expect(r.metrics.exact_match!.ci.method).toBe('bca');
  });

  it('a model at 0.60 gated at 0.70 fails, early', async () => {
    const r = await evaluate(dataset, modelAt(0.6), [exactMatch()], {
      ...base,
      pricing,
      gate: { metric: 'exact_match', atLeast: 0.7 },
    });
    expect(r.gate!.decision).toBe('fail');
    expect(r.gate!.upper).toBeLessThan(0.7);
    expect(r.run.stoppedBy).toBe('decided');
    expect(r.n).toBeLessThan(N / 2);
  });

  it('the decision equals confidenceSequence() over the scores in the run order, at the first crossing', async () => {
    const r = await evaluate(dataset, modelAt(0.9), [exactMatch()], {
      ...base,
      concurrency: 1,
      gate: { metric: 'exact_match', atLeast: 0.7 },
    });
    // With one row in flight, rows finish in the run's order and nothing runs past the decision.
    const scores = r.scores.metrics.exact_match! as number[];
    const cs = confidenceSequence(scores, { population: N });
    const first = cs.lower.findIndex((l) => l >= 0.7);
    expect(first + 1).toBe(r.gate!.n);
    expect(r.n).toBe(r.gate!.n);
    expect(r.gate!.lower).toBe(cs.lower[first]);
    expect(r.gate!.upper).toBe(cs.upper[first]);
  });
});

const localModel = (accuracy: number) => async (input: unknown) => {
  const i = Number(String(input).slice('question '.length));
  return rightAt(accuracy)(i) ? `answer ${i}` : 'no idea';
};
const local = { concurrency: 8, progress: false, resamples: 200 } as const;

describe('the random order', () => {
  it('is seeded: the same seed gives the same rows, another seed others', async () => {
    const run = (seed: number) =>
      evaluate(dataset, localModel(0.9), [exactMatch()], {
        ...local,
        concurrency: 1,
        seed,
        gate: { metric: 'exact_match', atLeast: 0.7 },
      });
    const [a, b, c] = await Promise.all([run(1), run(1), run(2)]);
    expect(a.scores.ids).toEqual(b.scores.ids);
    expect(a.scores.ids).not.toEqual(c.scores.ids);
    // Not the dataset's order.
    expect(a.scores.ids.slice(0, 5)).not.toEqual(['q0', 'q1', 'q2', 'q3', 'q4']);
  });

  it('a stream declared shuffled is read as it comes, with no population and no known skipped count', async () => {
    async function* stream() {
      for (const e of dataset) yield e;
    }
    const r = await evaluate(stream(), localModel(0.9), [exactMatch()], {
      ...local,
      concurrency: 1,
      shuffled: true,
      gate: { metric: 'exact_match', atLeast: 0.7 },
    });
    expect(r.gate!.decision).toBe('pass');
    expect(r.gate!.order).toBe('as-given');
    expect(r.gate!.population).toBeUndefined();
    expect(r.gate!.rowsSkipped).toBeNull();
    expect(r.scores.ids.slice(0, 3)).toEqual(['q0', 'q1', 'q2']);
  });

  it('an async iterable without `shuffled` is indexed and shuffled', async () => {
    async function* stream() {
      for (const e of dataset) yield e;
    }
    const r = await evaluate(stream(), localModel(0.9), [exactMatch()], {
      ...local,
      gate: { metric: 'exact_match', atLeast: 0.7 },
    });
    expect(r.gate!.population).toBe(N);
    expect(r.run.rowsPlanned).toBe(N);
    expect(r.gate!.rowsSkipped).toBe(N - r.n);
  });
});

describe('units: trials and groups', () => {
  it('with trials > 1 the sequence runs over per-example means (one observation per example)', async () => {
    const r = await evaluate(dataset.slice(0, 600), localModel(0.9), [exactMatch()], {
      ...local,
      concurrency: 1,
      trials: 3,
      gate: { metric: 'exact_match', atLeast: 0.7 },
    });
    expect(r.gate!.decision).toBe('pass');
    expect(r.gate!.population).toBe(600);
    expect(r.gate!.rows).toBe(3 * r.gate!.n);
    // Every trial of an example ran back to back.
    for (let i = 0; i < r.n; i += 3) expect(new Set(r.scores.ids.slice(i, i + 3)).size).toBe(1);
  });

  it('with `group` the sequence runs over per-group means, whole groups drawn at random', async () => {
    const grouped = dataset.slice(0, 1200).map((e, i) => ({ ...e, group: `g${i % 300}` }));
    const r = await evaluate(grouped, localModel(0.9), [exactMatch()], {
      ...local,
      concurrency: 1,
      gate: { metric: 'exact_match', atLeast: 0.7 },
    });
    expect(r.gate!.population).toBe(300);
    expect(r.gate!.rows).toBe(4 * r.gate!.n);
    const groups = r.scores.groups;
    for (let i = 0; i < r.n; i += 4) expect(new Set(groups.slice(i, i + 4)).size).toBe(1);
  });

  it('a declared-shuffled stream with groups is refused (it cannot draw whole groups)', async () => {
    const grouped = dataset.slice(0, 10).map((e) => ({ ...e, group: 'g' }));
    await expect(
      evaluate(grouped, localModel(0.9), [exactMatch()], {
        ...local,
        shuffled: true,
        gate: { metric: 'exact_match', atLeast: 0.7 },
      }),
    ).rejects.toThrow(
      /has a `group`, but a gate over a stream declared `shuffled` cannot sample whole groups/,
    );
  });
});

describe('paired gate: { baseline, metric, margin }', () => {
  let baseline: EvalResult;
  beforeAll(async () => {
    baseline = await evaluate(dataset, localModel(0.9), [exactMatch()], local);
  });

  it('decides non-inferiority of a candidate equal to its baseline', async () => {
    const r = await evaluate(dataset, localModel(0.9), [exactMatch()], {
      ...local,
      gate: { baseline, metric: 'exact_match', margin: 0.05 },
    });
    expect(r.gate!.kind).toBe('non-inferiority');
    expect(r.gate!.decision).toBe('pass');
    expect(r.gate!.lower).toBeGreaterThan(-0.05);
    expect(r.run.stoppedBy).toBe('decided');
    expect(r.n).toBeLessThan(N);
  });

  it('decides inferiority of a candidate 10 points worse', async () => {
    const r = await evaluate(dataset, localModel(0.8), [exactMatch()], {
      ...local,
      gate: { baseline, metric: 'exact_match', margin: 0.05 },
    });
    expect(r.gate!.decision).toBe('fail');
    expect(r.gate!.upper).toBeLessThan(-0.05);
    expect(r.n).toBeLessThan(N);
  });

  it("runs only the baseline's examples and says how many it left out", async () => {
    const small = await evaluate(dataset.slice(0, 400), localModel(0.9), [exactMatch()], local);
    const r = await evaluate(dataset.slice(0, 500), localModel(0.9), [exactMatch()], {
      ...local,
      gate: { baseline: small, metric: 'exact_match', margin: 0.05 },
    });
    expect(r.gate!.population).toBe(400);
    expect(r.scores.ids.every((id) => Number(id.slice(1)) < 400)).toBe(true);
    expect(r.warnings).toContain(
      'gate: 100 examples are not scored in the baseline, so the paired gate did not run them',
    );
  });
});

describe('checks of the gate option', () => {
  const f1: Metric = { name: 'f1', kind: 'continuous', score: () => 0.5 };
  const corpus: Metric = {
    name: 'corpus',
    kind: 'continuous',
    bounds: [0, 100],
    score: () => ({ value: 1, stats: [1] }),
    aggregate: (s) => s.length,
  };
  const metrics = [exactMatch(), f1, corpus];
  it.each([
    [42, TypeError, 'Expected `gate` to be an options object'],
    [{ atLeast: 0.7 }, TypeError, 'Expected `gate.metric` to be a metric name, got `undefined` (undefined)'],
    [
      { metric: 'nope', atLeast: 0.7 },
      TypeError,
      'Expected `gate.metric` to name one of the run\'s metrics ("exact_match", "f1", "corpus"), got `"nope"` (string)',
    ],
    [{ metric: 'f1', atLeast: 0.7 }, TypeError, '`gate.metric` "f1" has no known bounds'],
    [{ metric: 'corpus', atLeast: 50 }, TypeError, '`gate.metric` "corpus" is a corpus metric'],
    [
      { metric: 'exact_match' },
      TypeError,
      'Expected `gate` to have exactly one of `atLeast`, `atMost` or `baseline` (with `margin`), got none',
    ],
    [{ metric: 'exact_match', atLeast: 0.7, atMost: 0.9 }, TypeError, 'got `atLeast` and `atMost`'],
    [
      { metric: 'exact_match', atLeast: 1.5 },
      RangeError,
      'Expected `gate.atLeast` to be a number in [0, 1], got `1.5` (number)',
    ],
    [
      { metric: 'exact_match', atMost: '0.5' },
      TypeError,
      'Expected `gate.atMost` to be a number in [0, 1], got `"0.5"` (string)',
    ],
    [
      { metric: 'exact_match', atLeast: 0.7, margin: 0.1 },
      TypeError,
      '`gate.margin` belongs to a paired gate',
    ],
    [
      { metric: 'exact_match', baseline: {}, margin: 0.1 },
      TypeError,
      'Expected `gate.baseline` to be an evalgate result',
    ],
  ])('%j -> %s', async (gate, Err, message) => {
    const run = evaluate(dataset.slice(0, 3), localModel(0.9), metrics, { ...local, gate: gate as never });
    await expect(run).rejects.toThrow(Err);
    await expect(run).rejects.toThrow(message);
  });

  it('a paired gate needs a margin >= 0 and a baseline that scored the metric', async () => {
    const b = await evaluate(dataset.slice(0, 3), localModel(0.9), [exactMatch({ name: 'other' })], local);
    await expect(
      evaluate(dataset.slice(0, 3), localModel(0.9), [exactMatch()], {
        ...local,
        gate: { baseline: b, metric: 'exact_match', margin: 0.1 },
      }),
    ).rejects.toThrow(
      'Expected `gate.baseline` to have scored `gate.metric` "exact_match", but its metrics are "other"',
    );
    await expect(
      evaluate(dataset.slice(0, 3), localModel(0.9), [exactMatch()], {
        ...local,
        gate: {
          baseline: await evaluate(dataset.slice(0, 3), localModel(0.9), [exactMatch()], local),
          metric: 'exact_match',
          margin: -1,
        } as never,
      }),
    ).rejects.toThrow(RangeError);
  });

  it('`shuffled` must be a boolean', async () => {
    await expect(
      evaluate(dataset.slice(0, 3), localModel(0.9), [exactMatch()], { ...local, shuffled: 'yes' as never }),
    ).rejects.toThrow('Expected `shuffled` to be a boolean, got `"yes"` (string)');
  });

  it('atMost: passes when the upper bound is at most the bar', async () => {
    const errorRate: Metric = {
      name: 'error',
      kind: 'binary',
      score: ({ example, output }) => (output === example.reference ? 0 : 1),
    };
    const r = await evaluate(dataset, localModel(0.9), [errorRate], {
      ...local,
      gate: { metric: 'error', atMost: 0.3 },
    });
    expect(r.gate!.decision).toBe('pass');
    expect(r.gate!.upper).toBeLessThanOrEqual(0.3);
    expect(r.gate!.atMost).toBe(0.3);
  });

  it('an undecided gate runs the whole dataset and says so', async () => {
    // A declared-shuffled stream: the sequence covers an infinite population, so 40 rows at 0.9 cannot
    // settle a 0.7 bar (an indexed 40-example population would: at t = N its mean is known exactly).
    const r = await evaluate(dataset.slice(0, 40), localModel(0.9), [exactMatch()], {
      ...local,
      shuffled: true,
      gate: { metric: 'exact_match', atLeast: 0.7 },
    });
    expect(r.gate!.decision).toBe('undecided');
    expect(r.run.stoppedBy).toBeNull();
    expect(r.n).toBe(40);
    expect(r.gate!.n).toBe(40);
    expect(r.gate!.lower).toBeLessThan(0.7);
    expect(r.gate!.upper).toBeGreaterThanOrEqual(0.7);
  });

  it('an indexed population run to its end decides: the mean of every example is then known', async () => {
    const r = await evaluate(dataset.slice(0, 40), localModel(0.9), [exactMatch()], {
      ...local,
      gate: { metric: 'exact_match', atLeast: 0.7 },
    });
    expect(r.gate!.population).toBe(40);
    expect(r.gate!.decision).toBe('pass');
    expect(r.gate!.rowsSkipped).toBe(40 - r.n);
  });
});

describe('the library metrics declare the bounds a gate needs', () => {
  it('per-example metrics with a known range declare it', async () => {
    const { f1, rougeL, levenshtein, embeddingSimilarity } = await import('../../src/metrics/index.js');
    const { llmJudge, gEval, pairwiseJudge, faithfulness } = await import('../../src/judge/index.js');
    const embed = async (texts: readonly string[]) => texts.map(() => [1, 0]);
    const judge = { model: 'judge', client: new OpenAI({ baseURL: 'http://127.0.0.1:9/v1', apiKey: 'x' }) };
    expect(f1().bounds).toEqual([0, 1]);
    expect(rougeL().bounds).toEqual([0, 1]);
    expect(levenshtein().bounds).toEqual([0, 1]);
    expect(embeddingSimilarity({ embed }).bounds).toEqual([-1, 1]);
    expect(llmJudge({ ...judge, rubric: 'r', scale: { min: 1, max: 10 } }).bounds).toEqual([1, 10]);
    expect(gEval({ ...judge, criteria: 'c' }).bounds).toEqual([1, 5]);
    expect(pairwiseJudge({ ...judge, criteria: 'c', baseline: () => 'b' }).bounds).toEqual([0, 1]);
    expect(faithfulness(judge).bounds).toEqual([0, 1]);
  });

  it('a gate on a continuous metric with bounds runs (token F1)', async () => {
    const { f1 } = await import('../../src/metrics/index.js');
    const r = await evaluate(dataset, localModel(0.9), [f1()], {
      ...local,
      gate: { metric: 'f1', atLeast: 0.5 },
    });
    expect(r.gate!.decision).toBe('pass');
    expect(r.n).toBeLessThan(N);
  });

  it('an embedding cosine of two equal vectors is 1, not a hair above (it would be refused as out of bounds)', async () => {
    const { embeddingSimilarity } = await import('../../src/metrics/index.js');
    const v = [0.1, 0.2, 0.3, 0.7, 0.11, 0.13];
    const m = embeddingSimilarity({ embed: async (texts) => texts.map(() => v) });
    const s = (await m.score({
      example: { id: 'a', input: 'x', reference: 'y' },
      output: 'z',
      signal: new AbortController().signal,
    })) as { value: number };
    expect(s.value).toBeLessThanOrEqual(1);
  });
});
