/**
 * A row's abort signals are made only when read (src/run/rowClock.ts, a lease per phase), which must not change what a
 * model or metric sees: its ctx is a plain object whose `signal` and `call` survive a spread; a signal read after
 * its bound fired is already aborted with the bound's TimeoutError; a retried attempt and the next metric get a
 * fresh signal while the earlier one stays aborted; cancelling the run aborts the signal of every row in flight,
 * read before or after.
 */
import { describe, expect, it } from 'vitest';
import type { Metric, ModelContext, ScoreContext } from '../../src/core/types.js';
import { TimeoutError } from '../../src/errors.js';
import { evaluate } from '../../src/index.js';
import { HUNG, within } from '../_within.js';

const never = new Promise<never>(() => {});
const one = [{ id: 'a', input: 'x', reference: 'x' }];
const exact: Metric = { name: 'exact', kind: 'binary', score: ({ output }) => (output === 'x' ? 1 : 0) };

describe('row signals made on first read', () => {
  it('a spread model ctx keeps its signal and call (own enumerable properties)', async () => {
    let seen: Record<string, unknown> | undefined;
    await evaluate(
      one,
      async (input, ctx) => {
        seen = { ...ctx };
        return String(input);
      },
      [exact],
      { progress: false },
    );
    expect(Object.keys(seen!).sort()).toEqual(['call', 'example', 'signal', 'trial']);
    expect(seen!.signal).toBeInstanceOf(AbortSignal);
    expect((seen!.signal as AbortSignal).aborted).toBe(false);
    expect(typeof seen!.call).toBe('function');
  });

  it('a spread metric ctx keeps its signal and call', async () => {
    let seen: Record<string, unknown> | undefined;
    const spy: Metric = {
      name: 'spy',
      kind: 'binary',
      score: (ctx: ScoreContext) => {
        seen = { ...ctx };
        return 1;
      },
    };
    await evaluate(one, async (i) => String(i), [spy], { progress: false });
    expect(seen!.signal).toBeInstanceOf(AbortSignal);
    expect(typeof seen!.call).toBe('function');
    expect(seen!.output).toBe('x');
  });

  it('a signal first read after its attempt timed out is aborted with that TimeoutError; the retry gets a fresh one', async () => {
    const contexts: ModelContext[] = [];
    const r = await evaluate(
      one,
      async (_input, ctx) => {
        contexts.push(ctx); // not reading ctx.signal: it is made later, after the bound fired
        if (contexts.length === 1) return never;
        return 'x';
      },
      [exact],
      { progress: false, timeoutMs: 40, retry: { maxRetries: 2, baseMs: 1, maxMs: 2 } },
    );
    expect(r.examples[0]!.output).toBe('x');
    expect(contexts).toHaveLength(2);
    const first = contexts[0]!.signal;
    expect(first.aborted).toBe(true);
    expect(first.reason).toBeInstanceOf(TimeoutError);
    expect(String(first.reason.message)).toContain('timed out after 40 ms');
    expect(contexts[1]!.signal.aborted).toBe(false);
    expect(contexts[1]!.signal).not.toBe(first);
  });

  for (const late of ['answers', 'fails'] as const)
    it(`a first attempt that ignores its signal and ${late} during the retry cannot make the retry unbounded`, async () => {
      // Regression: the late end of attempt 1 cleared the clock's hold on attempt 2, so attempt 2 (also
      // ignoring its signal) was never ended by its bound and the run hung.
      let attempts = 0;
      const model = async (): Promise<string> => {
        attempts++;
        if (attempts === 1)
          return new Promise((resolve, reject) =>
            setTimeout(() => (late === 'answers' ? resolve('late') : reject(new Error('late'))), 120),
          );
        return never;
      };
      const run = evaluate(one, model, [exact], {
        progress: false,
        timeoutMs: 80,
        rowTimeoutMs: 400,
        maxFailureRate: 1,
        retry: { maxRetries: 1, baseMs: 1, maxMs: 1 },
      });
      const r = await within(run);
      expect(r, 'the run ended').not.toBe(HUNG);
      const { examples } = r as Awaited<typeof run>;
      expect(attempts).toBe(2);
      expect(examples[0]!.error?.name).toBe('TimeoutError');
    });

  it('a metric that ignores its signal and scores late cannot make the next metric unbounded', async () => {
    // The same clock races each metric in turn: the late score of the first must not take the second's bound.
    const late: Metric = {
      name: 'late',
      kind: 'binary',
      score: () => new Promise((resolve) => setTimeout(() => resolve(1), 120)),
    };
    const stuck: Metric = { name: 'stuck', kind: 'binary', score: () => never };
    const run = evaluate(one, async () => 'x', [late, stuck], {
      progress: false,
      metricTimeoutMs: 80,
      maxFailureRate: 1,
    });
    const r = await within(run);
    expect(r, 'the run ended').not.toBe(HUNG);
    const { examples } = r as Awaited<typeof run>;
    expect(examples[0]!.scores).toEqual({ late: null, stuck: null });
  });

  it('a signal read before the bound fires is aborted by it', async () => {
    let signal: AbortSignal | undefined;
    const r = await evaluate(
      one,
      async (_input, ctx) => {
        signal = ctx.signal;
        return never;
      },
      [exact],
      { progress: false, timeoutMs: 30, retry: { maxRetries: 0 }, maxFailureRate: 1 },
    );
    expect(r.examples[0]!.error?.name).toBe('TimeoutError');
    expect(signal!.aborted).toBe(true);
    expect(signal!.reason).toBeInstanceOf(TimeoutError);
  });

  it('an asynchronous metric that times out leaves its signal aborted; the next metric gets a fresh one', async () => {
    const contexts: ScoreContext[] = [];
    const slow: Metric = {
      name: 'slow',
      kind: 'binary',
      score: (ctx) => {
        contexts.push(ctx);
        return never;
      },
    };
    const next: Metric = {
      name: 'next',
      kind: 'binary',
      score: (ctx) => {
        contexts.push(ctx);
        return ctx.signal.aborted ? 0 : 1;
      },
    };
    const r = await evaluate(one, async (i) => String(i), [slow, next], {
      progress: false,
      metricTimeoutMs: 30,
    });
    expect(r.examples[0]!.scores).toEqual({ slow: null, next: 1 });
    expect(contexts[0]!.signal.aborted).toBe(true);
    expect(contexts[0]!.signal.reason).toBeInstanceOf(TimeoutError);
    expect(contexts[1]!.signal.aborted).toBe(false);
  });

  it('cancelling the run aborts every row in flight, whether its signal was read before or after', async () => {
    const controller = new AbortController();
    const contexts: ModelContext[] = [];
    const readEarly: AbortSignal[] = [];
    const ds = Array.from({ length: 8 }, (_, i) => ({ id: `r${i}`, input: i }));
    const run = evaluate(
      ds,
      async (input, ctx) => {
        contexts.push(ctx);
        if ((input as number) % 2 === 0) readEarly.push(ctx.signal);
        if (contexts.length === 4) setTimeout(() => controller.abort(new Error('stop')), 5);
        return never;
      },
      [exact],
      { progress: false, concurrency: 4, signal: controller.signal },
    );
    await run.catch(() => undefined);
    expect(contexts).toHaveLength(4);
    for (const ctx of contexts) expect(ctx.signal.aborted).toBe(true);
    expect(readEarly.length).toBeGreaterThan(0);
    for (const s of readEarly) expect(s.aborted).toBe(true);
  });
});
