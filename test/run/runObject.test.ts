// The run object and its configuration: options resolved and checked once into a frozen config; a Run that owns
// its state (counts, stop reason, queue, progress) and takes what other parts add through methods: rows run here
// (`add`), outcomes of rows run elsewhere (`accept`), and what those rows spent (`addSpend`).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryCache } from '../../src/cache/index.js';
import type { Metric, Model } from '../../src/core/types.js';
import { ExamplePlacer } from '../../src/dataset/examples.js';
import { feedRows } from '../../src/run/feedRows.js';
import { type EvaluateOptions, resolveRunConfig } from '../../src/run/options.js';
import { Run } from '../../src/run/Run.js';
import type { RowOutcome } from '../../src/run/rowRunner.js';

const exact: Metric = {
  name: 'exact',
  kind: 'binary',
  score: ({ example, output }) => (output === example.reference ? 1 : 0),
};
const echo: Model = async (input) => String(input);
const metrics = [exact] as const;
const NO_KINDS = {
  model: { calls: 0, cacheHits: 0 },
  judge: { calls: 0, cacheHits: 0 },
  embedding: { calls: 0, cacheHits: 0 },
};

/** A finished row's outcome, as a worker would send it back. */
function done(id: string, score: number | null, failed = false): RowOutcome {
  return {
    kind: 'done',
    record: {
      id,
      trial: 0,
      input: id,
      output: failed ? null : id,
      scores: { exact: score },
      latencyMs: 1,
      cached: false,
      retries: 0,
      ...(failed ? { error: { name: 'Error', message: 'boom' } } : {}),
    },
    table: { id, trial: 0, group: null, failed, scores: { exact: score }, stats: {} },
    modelCacheable: 0,
    modelCalls: 1,
    summaries: {},
    problems: [],
  };
}

describe('resolveRunConfig', () => {
  it('fills in every default, once, into a frozen config', () => {
    const c = resolveRunConfig({}, metrics);
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.runtime)).toBe(true);
    expect(c).toMatchObject({
      concurrency: 8,
      timeoutMs: 60_000,
      rowTimeoutMs: 600_000,
      metricTimeoutMs: 600_000,
      trials: 1,
      seed: 0,
      confidence: 0.95,
      resamples: 9999,
      maxFailureRate: 0.05,
      cacheMode: undefined,
      trajectory: undefined,
      shuffled: false,
      given: { timeoutMs: undefined, shuffled: undefined },
    });
    expect(c.budget).toEqual({ maxCostUsd: Infinity, maxTokens: Infinity, maxRequests: Infinity });
  });

  it('keeps what was given, derives the row and metric bounds from timeoutMs, and never touches the options', () => {
    fc.assert(
      fc.property(
        fc.record(
          {
            concurrency: fc.integer({ min: 1, max: 512 }),
            timeoutMs: fc.integer({ min: 1, max: 1e6 }),
            trials: fc.integer({ min: 1, max: 20 }),
            seed: fc.oneof(fc.integer(), fc.string()),
            confidence: fc.double({ min: 0.01, max: 0.999, noNaN: true }),
            resamples: fc.integer({ min: 1, max: 99_999 }),
            shuffled: fc.boolean(),
            trajectory: fc.constantFrom(true, false, 'tool-calls' as const),
          },
          { requiredKeys: [] },
        ),
        (given) => {
          const options = Object.freeze({ ...given }) as EvaluateOptions;
          const c = resolveRunConfig(options, metrics);
          expect(options).toEqual(given);
          expect(c.concurrency).toBe(given.concurrency ?? 8);
          expect(c.runtime.concurrency).toBe(c.concurrency);
          expect(c.timeoutMs).toBe(given.timeoutMs ?? 60_000);
          expect(c.rowTimeoutMs).toBe(10 * c.timeoutMs);
          expect(c.metricTimeoutMs).toBe(10 * c.timeoutMs);
          expect(c.trials).toBe(given.trials ?? 1);
          expect(c.seed).toBe(given.seed ?? 0);
          expect(c.confidence).toBe(given.confidence ?? 0.95);
          expect(c.shuffled).toBe(given.shuffled ?? false);
          expect(c.given).toEqual({ timeoutMs: given.timeoutMs, shuffled: given.shuffled });
          expect(c.trajectory).toBe(
            given.trajectory === true ? 'full' : given.trajectory === 'tool-calls' ? 'tool-calls' : undefined,
          );
        },
      ),
      { seed: 22, numRuns: 300 },
    );
  });

  it('resolves the cache once: its mode and its store', () => {
    const store = memoryCache();
    expect(resolveRunConfig({ cache: store }, metrics)).toMatchObject({
      cacheMode: 'read-write',
      cacheStore: store,
    });
    expect(resolveRunConfig({ cache: { store, mode: 'replay' } }, metrics)).toMatchObject({
      cacheMode: 'replay',
      cacheStore: store,
    });
    expect(Object.isFrozen(store)).toBe(false);
  });

  it('checks every option and the gate before anything runs, naming the option and echoing the value', () => {
    expect(() => resolveRunConfig({ concurrency: 0 }, metrics)).toThrow(RangeError);
    expect(() => resolveRunConfig({ concurrency: 0 }, metrics)).toThrow('concurrency');
    expect(() => resolveRunConfig({ budget: { maxRequests: -1 } }, metrics)).toThrow('budget.maxRequests');
    expect(() => resolveRunConfig({ gate: { metric: 'nope', atLeast: 0.5 } }, metrics)).toThrow(
      'Expected `gate.metric` to name one of the run\'s metrics ("exact"), got `"nope"` (string)',
    );
  });
});

describe('Run', () => {
  it('runs rows fed to it and counts them; its counts are a copy, not its state', async () => {
    const run = await Run.open(echo, metrics, resolveRunConfig({ progress: false, concurrency: 2 }, metrics));
    const data = Array.from({ length: 7 }, (_, i) => ({
      id: `e${i}`,
      input: i,
      reference: i % 2 ? String(i) : 'x',
    }));
    await feedRows(run, data);
    const counts = run.counts;
    expect(counts).toEqual({ queued: 7, done: 7, failed: 0, modelCacheable: 0, modelCalls: 0 });
    (counts as { done: number }).done = 100;
    expect(run.counts.done).toBe(7);
    expect(run.complete).toBe(true);
    expect(run.stoppedBy).toBeNull();
    expect(run.columns.compact().ids).toHaveLength(7);
    run.finish();
    run.runtime.close();
    await run.sink.close();
  });

  it('accepts outcomes of rows run elsewhere: counted once each, the first error kept', async () => {
    const run = await Run.open(echo, metrics, resolveRunConfig({ progress: false }, metrics));
    run.addQueuedElsewhere(3);
    run.accept(0, done('a', 1));
    run.accept(1, done('b', null, true));
    run.accept(2, done('c', 0, true));
    run.accept(3, { kind: 'cancelled' });
    expect(run.counts).toEqual({ queued: 3, done: 3, failed: 2, modelCacheable: 0, modelCalls: 3 });
    expect(run.firstError).toBe('"b": Error: boom');
    run.markComplete();
    expect(run.complete).toBe(true);
    run.finish();
    run.runtime.close();
    await run.sink.close();
  });

  it('adds what workers spent to its totals, in any order the same sums, and stops at the budget', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            requests: fc.integer({ min: 0, max: 5 }),
            inputTokens: fc.integer({ min: 0, max: 1000 }),
            outputTokens: fc.integer({ min: 0, max: 1000 }),
            judgeCalls: fc.integer({ min: 0, max: 3 }),
          }),
          { maxLength: 12 },
        ),
        fc.integer({ min: 1, max: 40 }),
        async (spends, maxRequests) => {
          const totalsOf = async (order: typeof spends) => {
            const run = await Run.open(
              echo,
              metrics,
              resolveRunConfig({ progress: false, budget: { maxRequests } }, metrics),
            );
            let stoppedAt: number | undefined;
            order.forEach((s, i) => {
              run.addSpend({
                totals: { requests: s.requests, inputTokens: s.inputTokens, outputTokens: s.outputTokens },
                kinds: { ...NO_KINDS, judge: { calls: s.judgeCalls, cacheHits: 0 } },
              });
              if (stoppedAt === undefined && run.stopped()) stoppedAt = i;
            });
            const t = run.runtime.totals;
            const out = {
              requests: t.requests,
              tokens: t.inputTokens + t.outputTokens,
              judgeCalls: run.rows.kinds.judge.calls,
              stoppedBy: run.stoppedBy,
              stoppedAt,
            };
            run.finish();
            run.runtime.close();
            await run.sink.close();
            return out;
          };
          const forward = await totalsOf(spends);
          const backward = await totalsOf([...spends].reverse());
          const requests = spends.reduce((a, s) => a + s.requests, 0);
          expect(forward.requests).toBe(requests);
          expect(forward.tokens).toBe(spends.reduce((a, s) => a + s.inputTokens + s.outputTokens, 0));
          expect(forward.judgeCalls).toBe(spends.reduce((a, s) => a + s.judgeCalls, 0));
          expect({ ...backward, stoppedAt: undefined }).toEqual({ ...forward, stoppedAt: undefined });
          expect(forward.stoppedBy).toBe(requests >= maxRequests ? 'budget' : null);
          if (forward.stoppedAt !== undefined) {
            // It stops at the first spend that reaches the budget, not before.
            const before = spends.slice(0, forward.stoppedAt).reduce((a, s) => a + s.requests, 0);
            expect(before).toBeLessThan(maxRequests);
            expect(before + spends[forward.stoppedAt]!.requests).toBeGreaterThanOrEqual(maxRequests);
          }
        },
      ),
      { seed: 24, numRuns: 100 },
    );
  });

  it('stops once, for the first reason; a fatal error aborts the rows’ signal; the user’s abort is an abort', async () => {
    const run = await Run.open(echo, metrics, resolveRunConfig({ progress: false }, metrics));
    expect(run.stopped()).toBe(false);
    run.stop('decided');
    run.stop('budget');
    expect(run.stoppedBy).toBe('decided');
    expect(run.rows.signal.aborted).toBe(false);
    const boom = new Error('boom');
    run.stop('fatal', boom);
    run.stop('fatal', new Error('later'));
    expect(run.fatal).toBe(boom);
    expect(run.rows.signal.aborted).toBe(true);
    run.finish();
    run.runtime.close();
    await run.sink.close();

    const user = new AbortController();
    const aborted = await Run.open(
      echo,
      metrics,
      resolveRunConfig({ progress: false, signal: user.signal }, metrics),
    );
    user.abort(new Error('user'));
    expect(aborted.stopped()).toBe(true);
    expect(aborted.stoppedBy).toBe('abort');
    expect(aborted.fatal).toBeUndefined();
    aborted.finish();
    aborted.runtime.close();
    await aborted.sink.close();
  });

  it('a throw while taking a row’s outcome, or a write that rejects, stops the run as fatal with that error', async () => {
    const data = Array.from({ length: 40 }, (_, i) => ({ id: `e${i}`, input: i, reference: String(i) }));
    // The user's progress callback runs as each outcome is taken: its throw is the run's fatal error, the rows
    // not yet started never run, and nothing is left unhandled.
    const boom = new Error('progress boom');
    const thrown = await Run.open(
      echo,
      metrics,
      resolveRunConfig(
        {
          concurrency: 2,
          progress: (p) => {
            if (p.done === 3) throw boom;
          },
        },
        metrics,
      ),
    );
    await feedRows(thrown, data);
    expect(thrown.fatal).toBe(boom);
    expect(thrown.stopped()).toBe(true);
    expect(thrown.counts.done).toBeLessThan(data.length);
    thrown.finish();
    thrown.runtime.close();
    await thrown.sink.close().catch(() => undefined);

    // A record whose write rejects: that error, once, whatever rows were in flight.
    const refused = await Run.open(
      echo,
      metrics,
      resolveRunConfig({ progress: false, concurrency: 2 }, metrics),
    );
    const full = new Error('disk full');
    let writes = 0;
    (refused.sink as { emit: unknown }).emit = () => {
      writes++;
      return writes === 2 ? Promise.reject(full) : undefined;
    };
    await feedRows(refused, data);
    expect(refused.fatal).toBe(full);
    expect(refused.stopped()).toBe(true);
    expect(refused.counts.done).toBeLessThan(data.length);
    refused.finish();
    refused.runtime.close();
  });

  it('feeds the same examples to the same rows whichever feeder walks them (a placer sees them in order)', async () => {
    const run = await Run.open(echo, metrics, resolveRunConfig({ progress: false, trials: 2 }, metrics));
    const data = [{ id: 'p', input: 1 }, { input: 2 }, { id: 'q', input: 3 }];
    await feedRows(run, data);
    const placer = new ExamplePlacer();
    const ids = data.map((d) => placer.place(d).id);
    const table = run.columns.compact();
    expect(table.ids).toEqual(ids.flatMap((id) => [id, id]));
    run.finish();
    run.runtime.close();
    await run.sink.close();
  });
});
