// GitHub issue 11, cases 2, 7, 8 and 12: metrics that never settle, return non-finite or out-of-range scores, or
// take a name every object already has. Each refused score is missing (never 0), named in the record's details
// and in `result.warnings`, and every other output of the run is kept.
import { describe, expect, it } from 'vitest';
import { evaluate, type Metric } from '../../src/index.js';

const echo = async (input: unknown) => String(input);
const dataset = [
  { id: 'a', input: 'x' },
  { id: 'b', input: 'yy' },
  { id: 'c', input: 'zzz' },
];
const length: Metric = { name: 'length', kind: 'continuous', score: ({ output }) => output.length };
const opts = { resamples: 99, progress: false } as const;

describe('a metric that never settles', () => {
  it('with metricTimeoutMs: the score is missing, a TimeoutError is in details, a warning names it', async () => {
    const hangs: Metric = { name: 'hangs', kind: 'binary', score: () => new Promise<number>(() => {}) };
    const result = await evaluate(dataset, echo, [length, hangs], { ...opts, metricTimeoutMs: 30 });
    for (const r of result.examples) {
      expect(r.scores).toEqual({ length: String(r.input).length, hangs: null });
      const err = (r.details!.hangs as { error: { name: string; code: string; message: string } }).error;
      expect(err).toMatchObject({ name: 'TimeoutError', code: 'E_TIMEOUT' });
      expect(err.message).toBe(`metric \`hangs\` for example "${r.id}" timed out after 30 ms`);
    }
    expect(result.metrics.hangs.nMissing).toBe(3);
    expect(result.metrics.length.mean).toBe(2);
    expect(result.warnings).toContain(
      'metric `hangs` timed out on example "a" (and 2 more); those scores are missing',
    );
  });

  it('abort() settles the run promptly even when the metric ignores its signal', async () => {
    const controller = new AbortController();
    let started = 0;
    const deaf: Metric = {
      name: 'deaf',
      kind: 'binary',
      score: () => {
        started++;
        if (started === 2) setTimeout(() => controller.abort(new Error('user stop')), 5);
        return new Promise<number>(() => {}); // ignores its signal
      },
    };
    const many = Array.from({ length: 40 }, (_, i) => ({ id: `e${i}`, input: 'q' }));
    // metricTimeoutMs is left at its default (10 minutes): only the abort can end this run.
    const result = await evaluate(many, echo, [deaf], { ...opts, concurrency: 2, signal: controller.signal });
    expect(result.run.stoppedBy).toBe('abort');
    expect(result.n).toBe(0);
    expect(result.run.rowsPlanned).toBe(40);
    expect(started).toBe(2);
  });

  it('abort() before a metric starts: the run ends without running it', async () => {
    const controller = new AbortController();
    controller.abort();
    let scored = 0;
    const m: Metric = { name: 'm', kind: 'binary', score: () => ++scored && 1 };
    const result = await evaluate(dataset, echo, [m], { ...opts, signal: controller.signal });
    expect(result.run.stoppedBy).toBe('abort');
    expect(scored).toBe(0);
  });
});

describe('non-finite and out-of-range scores are missing, with a warning naming the metric', () => {
  it.each([
    ['Infinity', Number.POSITIVE_INFINITY, 'continuous', undefined, 'a finite number'],
    ['-Infinity', Number.NEGATIVE_INFINITY, 'continuous', undefined, 'a finite number'],
    ['7 from a binary metric', 7, 'binary', undefined, '0 or 1 (a binary metric)'],
    ['0.5 from a binary metric', 0.5, 'binary', undefined, '0 or 1 (a binary metric)'],
    ['1.5 with bounds [0, 1]', 1.5, 'continuous', [0, 1], 'a number in [0, 1]'],
    ['{ value: Infinity }', { value: Number.POSITIVE_INFINITY }, 'continuous', undefined, 'a finite number'],
  ] as const)('%s', async (_, value, kind, bounds, want) => {
    const bad: Metric = {
      name: 'bad',
      kind,
      ...(bounds === undefined ? {} : { bounds }),
      // Only example "b" gets the bad score; the others get a valid 1.
      score: ({ example }) => (example.id === 'b' ? value : 1),
    };
    const result = await evaluate(dataset, echo, [length, bad], opts);
    const [a, b, c] = result.examples;
    const shown = typeof value === 'number' ? value : value.value;
    expect(b!.scores).toEqual({ length: 2, bad: null });
    expect(b!.details?.bad).toEqual({ refused: String(shown) });
    expect(b!.output).toBe('yy');
    expect(a!.scores).toEqual({ length: 1, bad: 1 });
    expect(c!.scores).toEqual({ length: 3, bad: 1 });
    expect(a!.details).toBeUndefined();
    expect(result.metrics.bad).toMatchObject({ n: 2, nMissing: 1, mean: 1 });
    expect(result.metrics.length).toMatchObject({ n: 3, nMissing: 0, mean: 2 });
    // A finite score outside the metric's range on 1 of 3 rows (over 5%) also marks the metric broken (issue 19).
    const outOfRange = Number.isFinite(shown);
    expect(result.warnings).toEqual([
      `metric \`bad\` returned ${shown} for example "b", not ${want}; those scores are missing`,
      ...(outOfRange
        ? [expect.stringMatching(/^metric `bad` is broken: 1 of 3 scores lie outside its declared bounds/)]
        : []),
    ]);
    expect(result.nFailed).toBe(0);
  });
});

describe('reserved metric names', () => {
  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'])(
    '"%s" is refused with a TypeError naming it',
    async (name) => {
      const m: Metric = { name, kind: 'binary', score: () => 1 };
      let ran = false;
      const err = await evaluate(
        dataset,
        async (i) => {
          ran = true;
          return String(i);
        },
        [length, m],
        opts,
      ).catch((e) => e);
      expect(err).toBeInstanceOf(TypeError);
      expect(err.message).toBe(
        `Expected \`metrics[1].name\` not to be the reserved name "${name}" (a property of every object)`,
      );
      expect(ran).toBe(false);
    },
  );
});
