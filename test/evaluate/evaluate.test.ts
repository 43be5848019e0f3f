import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DatasetError,
  type EvalResult,
  type Example,
  evaluate,
  FailureRateExceededError,
  loadJsonl,
  type Metric,
  ModelOutputError,
  precomputedModel,
  TimeoutError,
} from '../../src/index.js';

const exact: Metric = {
  name: 'exact',
  kind: 'binary',
  score: ({ example, output }) => (output === example.reference ? 1 : 0),
};

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      reject(signal.reason);
    });
  });

function arithmetic(n: number): Example[] {
  return Array.from({ length: n }, (_, i) => ({ input: `${i}+${i}`, reference: String(2 * i) }));
}
const adder = async (input: unknown) => {
  const [a, b] = String(input).split('+').map(Number);
  return String(a! + b!);
};

describe('evaluate: ordering, ids and trials', () => {
  it('keeps dataset order and assigns positional ids where missing', async () => {
    const ds: Example[] = [
      { id: 'alpha', input: '1+1', reference: '2' },
      { input: '2+2', reference: '4' },
      { id: 'gamma', input: '3+3', reference: '7' },
    ];
    // Later examples finish first: the result must still be in dataset order.
    const model = async (input: unknown) => {
      await sleep(input === '1+1' ? 30 : 1);
      return adder(input);
    };
    const r = await evaluate(ds, model, [exact], { progress: false, maxFailureRate: 1 });
    expect(r.examples.map((e) => e.id)).toEqual(['alpha', '#1', 'gamma']);
    expect(r.scores.ids).toEqual(['alpha', '#1', 'gamma']);
    expect(r.examples.map((e) => e.scores.exact)).toEqual([1, 1, 0]);
    expect(r.metrics.exact!.mean).toBe(2 / 3);
    expect(r.metrics.exact!.n).toBe(3);
    expect(r.schemaVersion).toBe(1);
    expect(JSON.parse(JSON.stringify(r)).metrics.exact.mean).toBe(2 / 3);
  });

  it('runs every trial of every example and records the trial index', async () => {
    const seen: string[] = [];
    const model = async (_input: unknown, ctx: { example: Example; trial: number }) => {
      seen.push(`${ctx.example.id}/${ctx.trial}`);
      return ctx.trial % 2 === 0 ? String(ctx.example.reference) : 'wrong';
    };
    const r = await evaluate(arithmetic(4), model, [exact], { trials: 3, progress: false });
    expect(r.n).toBe(12);
    expect(r.examples.map((e) => `${e.id}/${e.trial}`)).toEqual(
      ['#0', '#1', '#2', '#3'].flatMap((id) => [`${id}/0`, `${id}/1`, `${id}/2`]),
    );
    expect(new Set(seen).size).toBe(12);
    expect(r.scores.trials).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2]);
    expect(r.metrics.exact!.mean).toBe(8 / 12);
  });

  it('reads numeric ids as strings and keeps groups', async () => {
    const ds = [
      { id: 7, input: '1+1', reference: '2', group: 'doc-a' },
      { id: 8, input: '1+2', reference: '3', group: 'doc-a' },
    ] as unknown as Example[];
    const r = await evaluate(ds, adder, [exact], { progress: false });
    expect(r.scores.ids).toEqual(['7', '8']);
    expect(r.scores.groups).toEqual(['doc-a', 'doc-a']);
    expect(r.examples[0]!.group).toBe('doc-a');
  });

  it('accepts sync iterables and async generators', async () => {
    function* gen() {
      yield* arithmetic(5);
    }
    async function* agen() {
      for (const ex of arithmetic(5)) {
        await sleep(1);
        yield ex;
      }
    }
    const a = await evaluate(gen(), adder, [exact], { progress: false });
    const b = await evaluate(agen(), adder, [exact], { progress: false });
    expect(a.metrics.exact!.mean).toBe(1);
    expect(b.scores.ids).toEqual(a.scores.ids);
  });
});

describe('evaluate: concurrency', () => {
  it.each([1, 3, 8])('never has more than %i model calls in flight', async (concurrency) => {
    let inFlight = 0;
    let maxInFlight = 0;
    const model = async (input: unknown) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await sleep(5);
      inFlight--;
      return adder(input);
    };
    await evaluate(arithmetic(40), model, [exact], { concurrency, progress: false });
    expect(maxInFlight).toBe(concurrency);
  });
});

describe('evaluate: timeouts, retries and abort', () => {
  it('records a timeout as a failure naming the example, after the configured retries', async () => {
    let calls = 0;
    const model = async (input: unknown, ctx: { signal: AbortSignal }) => {
      if (input === '1+1') {
        calls++;
        await sleep(10_000, ctx.signal);
      }
      return adder(input);
    };
    const r = await evaluate(arithmetic(4), model, [exact], {
      timeoutMs: 50,
      retry: { maxRetries: 1, baseMs: 1, maxMs: 2 },
      maxFailureRate: 1,
      progress: false,
    });
    expect(calls).toBe(2);
    expect(r.nFailed).toBe(1);
    const failed = r.examples.find((e) => e.id === '#1')!;
    expect(failed.output).toBeNull();
    expect(failed.error?.name).toBe('TimeoutError');
    expect(failed.error?.code).toBe('E_TIMEOUT');
    expect(failed.error?.message).toBe('model call for example "#1" timed out after 50 ms');
    expect(failed.scores).toEqual({});
    expect(r.metrics.exact!.n).toBe(3);
    expect(r.totals.retries).toBe(1);
  });

  it('retries a transient failure and succeeds', async () => {
    let attempts = 0;
    const model = async (input: unknown) => {
      if (input === '0+0' && attempts++ < 2) throw Object.assign(new Error('busy'), { status: 503 });
      return adder(input);
    };
    const r = await evaluate(arithmetic(3), model, [exact], {
      retry: { baseMs: 1, maxMs: 2 },
      progress: false,
    });
    expect(r.nFailed).toBe(0);
    expect(r.examples[0]!.retries).toBe(2);
    expect(r.totals.retries).toBe(2);
  });

  it('never retries a 400', async () => {
    let attempts = 0;
    const model = async () => {
      attempts++;
      throw Object.assign(new Error('bad request'), { status: 400 });
    };
    const r = await evaluate([{ input: 'x' }], model, [exact], { maxFailureRate: 1, progress: false });
    expect(attempts).toBe(1);
    expect(r.examples[0]!.error).toEqual({ name: 'Error', message: 'bad request', status: 400 });
  });

  it('abort cancels in-flight calls and returns what finished', async () => {
    const controller = new AbortController();
    let cancelled = 0;
    let finished = 0;
    const model = async (input: unknown, ctx: { signal: AbortSignal }) => {
      try {
        await sleep(input === '0+0' || input === '1+1' ? 1 : 5_000, ctx.signal);
      } catch (err) {
        cancelled++;
        throw err;
      }
      finished++;
      if (finished === 2) setTimeout(() => controller.abort(), 20);
      return adder(input);
    };
    const t0 = performance.now();
    const r = await evaluate(arithmetic(50), model, [exact], {
      concurrency: 4,
      signal: controller.signal,
      progress: false,
    });
    expect(performance.now() - t0, 'abort must not wait for the 5 s calls').toBeLessThan(4_000);
    expect(r.run.stoppedBy).toBe('abort');
    expect(r.n).toBe(2);
    expect(r.nFailed).toBe(0);
    expect(r.examples.map((e) => e.id)).toEqual(['#0', '#1']);
    // #0 and #1 finished; their slots were refilled, so all 4 calls in flight at the abort were cancelled.
    expect(cancelled).toBe(4);
  });

  it('an already-aborted signal runs nothing', async () => {
    let calls = 0;
    const r = await evaluate(
      arithmetic(5),
      async () => {
        calls++;
        return '';
      },
      [exact],
      { signal: AbortSignal.abort(), progress: false },
    );
    expect(calls).toBe(0);
    expect(r.n).toBe(0);
    expect(r.run.stoppedBy).toBe('abort');
  });
});

describe('evaluate: failures and missing scores', () => {
  it('excludes failed rows from means and counts them', async () => {
    const model = async (input: unknown) => {
      if (input === '2+2' || input === '5+5') throw new Error('provider exploded');
      return adder(input);
    };
    const r = await evaluate(arithmetic(10), model, [exact], { maxFailureRate: 0.5, progress: false });
    expect(r.n).toBe(10);
    expect(r.nFailed).toBe(2);
    expect(r.metrics.exact!.n).toBe(8);
    expect(r.metrics.exact!.nMissing).toBe(0);
    expect(r.metrics.exact!.mean).toBe(1);
    expect(r.scores.failed.filter(Boolean)).toHaveLength(2);
    expect(r.examples[2]!.error).toEqual({ name: 'Error', message: 'provider exploded' });
  });

  it('throws FailureRateExceededError with the partial result past maxFailureRate', async () => {
    const model = async (input: unknown) => {
      if (input === '2+2') throw new Error('nope');
      return adder(input);
    };
    const err = await evaluate(arithmetic(10), model, [exact], { progress: false }).catch((e) => e);
    expect(err).toBeInstanceOf(FailureRateExceededError);
    expect(err.code).toBe('E_FAILURE_RATE');
    expect(err.failureRate).toBe(0.1);
    expect(err.maxFailureRate).toBe(0.05);
    expect(err.message).toContain('1 of 10 rows failed (10.0%), more than maxFailureRate 0.05');
    expect(err.message).toContain('"#2": Error: nope');
    const partial = err.result as EvalResult;
    expect(partial.n).toBe(10);
    expect(partial.metrics.exact!.mean).toBe(1);
  });

  it('records a non-string model output as a typed failure', async () => {
    const r = await evaluate([{ input: 'a' }], async () => 42 as unknown as string, [exact], {
      maxFailureRate: 1,
      progress: false,
    });
    expect(r.examples[0]!.error?.name).toBe(ModelOutputError.name);
    expect(r.examples[0]!.error?.message).toBe(
      'The model returned `42` (number) for example "#0": expected a string or { output: string }',
    );
  });

  it('a metric that throws or returns NaN marks the score missing, not 0', async () => {
    const flaky: Metric = {
      name: 'flaky',
      kind: 'continuous',
      score: ({ example }) => {
        if (example.id === '#0') throw new Error('judge unparseable');
        if (example.id === '#1') return Number.NaN;
        if (example.id === '#2') return { value: null, details: { raw: '???' } };
        return 0.5;
      },
    };
    const r = await evaluate(arithmetic(5), adder, [flaky], { progress: false });
    expect(r.metrics.flaky!.n).toBe(2);
    expect(r.metrics.flaky!.nMissing).toBe(3);
    expect(r.metrics.flaky!.mean).toBe(0.5);
    expect(r.examples[0]!.scores.flaky).toBeNull();
    expect(r.examples[0]!.details).toEqual({
      flaky: { error: { name: 'Error', message: 'judge unparseable' } },
    });
    expect(r.examples[2]!.details).toEqual({ flaky: { raw: '???' } });
  });

  it('precomputedModel scores stored outputs and fails rows it has none for', async () => {
    const r = await evaluate(
      [
        { id: 'a', input: '1+1', reference: '2' },
        { id: 'b', input: '2+2', reference: '4' },
      ],
      precomputedModel({ a: '2' }),
      [exact],
      { maxFailureRate: 1, progress: false },
    );
    expect(r.examples[0]!.scores.exact).toBe(1);
    expect(r.examples[1]!.error).toEqual({
      name: 'EvalgateError',
      message: 'precomputedModel: no output for example "b"',
      code: 'E_NO_OUTPUT',
    });
  });
});

describe('evaluate: callbacks and output', () => {
  it('calls onResult and progress for every row and writes JSONL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'evalgate-'));
    const file = join(dir, 'out.jsonl');
    const seen: string[] = [];
    const progress: number[] = [];
    const r = await evaluate(arithmetic(20), adder, [exact], {
      output: file,
      onResult: (rec) => {
        seen.push(rec.id);
      },
      progress: (p) => progress.push(p.done),
    });
    expect(seen.sort()).toEqual(r.scores.ids.slice().sort());
    expect(progress.at(-1)).toBe(20);
    expect(r.examples).toEqual([]);
    expect(r.examplesFile).toBe(file);
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(20);
    expect(lines.every((l) => l.scores.exact === 1)).toBe(true);
  });
});

describe('evaluate: bad datasets', () => {
  it('rejects an empty dataset', async () => {
    await expect(evaluate([], adder, [exact])).rejects.toMatchObject({
      name: 'DatasetError',
      code: 'E_DATASET',
      message: 'The dataset is empty: there is nothing to evaluate',
    });
  });

  it('rejects duplicate ids, naming the id and the row', async () => {
    const err = await evaluate(
      [
        { id: 'q1', input: 'a' },
        { id: 'q1', input: 'b' },
      ],
      adder,
      [exact],
    ).catch((e) => e);
    expect(err).toBeInstanceOf(DatasetError);
    expect(err.message).toBe('dataset row 1: duplicate example id "q1"');
    expect(err.exampleId).toBe('q1');
    expect(err.position).toBe(1);
  });

  it.each([
    [[42], 'dataset row 0: expected an example object, got `42` (number)'],
    [[{ input: 'a' }, 'b'], 'dataset row 1: expected an example object, got `"b"` (string)'],
    [[{ reference: 'a' }], 'dataset row 0: the example has no `input` field'],
    [[{ id: '', input: 'a' }], 'dataset row 0: expected `id` to be a non-empty string, got `""` (string)'],
    [[{ input: 'a', group: 3 }], 'dataset row 0 ("#0"): expected `group` to be a string, got `3` (number)'],
    [[{ input: 'a', context: 'doc' }], 'dataset row 0 ("#0"): expected `context` to be an array of strings'],
  ])('rejects a malformed row %j', async (ds, message) => {
    await expect(evaluate(ds as Example[], adder, [exact])).rejects.toMatchObject({
      name: 'DatasetError',
      message,
    });
  });

  it('names the line of a malformed JSONL file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'evalgate-'));
    const file = join(dir, 'bad.jsonl');
    writeFileSync(file, '{"input":"1+1","reference":"2"}\n\n[1,2]\n');
    const err = await evaluate(loadJsonl(file), adder, [exact]).catch((e) => e);
    expect(err).toBeInstanceOf(DatasetError);
    expect(err.message).toBe(`${file}:3: expected a JSON object per line, got \`array(2)\` (array)`);
    expect(err.line).toBe(3);
    writeFileSync(file, '{"input":"1+1"}\n{"input": oops}\n');
    const err2 = await evaluate(loadJsonl(file), adder, [exact]).catch((e) => e);
    expect(err2.message).toMatch(
      new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: invalid JSON`),
    );
  });

  it('reports a missing JSONL file as a DatasetError', async () => {
    const err = await evaluate(loadJsonl('/nonexistent/x.jsonl'), adder, [exact]).catch((e) => e);
    expect(err).toBeInstanceOf(DatasetError);
    expect(err.message).toMatch(/^\/nonexistent\/x\.jsonl: cannot read the dataset \(ENOENT/);
  });
});

describe('evaluate: bad arguments', () => {
  it.each([
    [
      'dataset',
      () => evaluate('abc' as never, adder, [exact]),
      TypeError,
      'Expected `dataset` to be an array, iterable or async iterable of examples, got `"abc"` (string)',
    ],
    [
      'model',
      () => evaluate([], 'gpt' as never, [exact]),
      TypeError,
      'Expected `model` to be a function, got `"gpt"` (string)',
    ],
    [
      'metrics',
      () => evaluate([], adder, {} as never),
      TypeError,
      'Expected `metrics` to be an array of metrics, got `object` (object)',
    ],
    [
      'metric name',
      () => evaluate([], adder, [{ ...exact, name: 'a b' }]),
      TypeError,
      'Expected `metrics[0].name` to be a name of letters, digits, _ . : -, got `"a b"` (string)',
    ],
    [
      'metric kind',
      () => evaluate([], adder, [{ ...exact, kind: 'ordinal' as never }]),
      TypeError,
      "Expected `metrics[0].kind` to be 'binary' | 'continuous', got `\"ordinal\"` (string)",
    ],
    [
      'duplicate metric',
      () => evaluate([], adder, [exact, exact]),
      TypeError,
      'Duplicate metric name "exact" in `metrics`',
    ],
    [
      'concurrency 0',
      () => evaluate([], adder, [exact], { concurrency: 0 }),
      RangeError,
      'Expected `concurrency` to be an integer >= 1, got `0` (number)',
    ],
    [
      'concurrency string',
      () => evaluate([], adder, [exact], { concurrency: '8' as never }),
      TypeError,
      'Expected `concurrency` to be an integer >= 1, got `"8"` (string)',
    ],
    [
      'trials',
      () => evaluate([], adder, [exact], { trials: 1.5 }),
      RangeError,
      'Expected `trials` to be an integer >= 1, got `1.5` (number)',
    ],
    [
      'confidence',
      () => evaluate([], adder, [exact], { confidence: 1.5 }),
      RangeError,
      'Expected `confidence` to be a number in (0, 1), got `1.5` (number)',
    ],
    [
      'timeoutMs',
      () => evaluate([], adder, [exact], { timeoutMs: -1 }),
      RangeError,
      'Expected `timeoutMs` to be a number in (0, Infinity], got `-1` (number)',
    ],
    [
      'maxFailureRate',
      () => evaluate([], adder, [exact], { maxFailureRate: 2 }),
      RangeError,
      'Expected `maxFailureRate` to be a number in [0, 1], got `2` (number)',
    ],
    [
      'resamples',
      () => evaluate([], adder, [exact], { resamples: 0 }),
      RangeError,
      'Expected `resamples` to be an integer >= 1, got `0` (number)',
    ],
    [
      'signal',
      () => evaluate([], adder, [exact], { signal: {} as never }),
      TypeError,
      'Expected `signal` to be an AbortSignal, got `object` (object)',
    ],
    [
      'retry.maxRetries',
      () => evaluate([], adder, [exact], { retry: { maxRetries: -1 } }),
      RangeError,
      'Expected `retry.maxRetries` to be an integer >= 0, got `-1` (number)',
    ],
  ])('%s', async (_name, run, type, message) => {
    const err = await run().catch((e) => e);
    expect(err).toBeInstanceOf(type);
    expect(err.message).toBe(message);
  });

  it('TimeoutError is exported for instanceof checks', () => {
    expect(new TimeoutError('x', 5).timeoutMs).toBe(5);
  });
});
