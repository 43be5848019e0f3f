/**
 * An abort notice (a row's lease, a call's attempt) behaves as an AbortSignal would, without making one until it
 * is read: every listener present at the abort is told once, in order, with the first reason; a removed one is
 * not; one added later is told at once; the signal, made before or after, carries the same reason. The runtime
 * and `withTimeout` follow a notice without reading its signal, and still stop on its abort.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AbortSource, noticeOf } from '../../src/calls/abortNotice.js';
import { CallEngine } from '../../src/calls/callRuntime.js';
import { withTimeout } from '../../src/calls/waits.js';

type Op =
  | { readonly op: 'listen' }
  | { readonly op: 'remove'; readonly which: number }
  | { readonly op: 'signal' }
  | { readonly op: 'abort'; readonly reason: number };

const ops = fc.array(
  fc.oneof(
    fc.constant<Op>({ op: 'listen' }),
    fc.nat(8).map<Op>((which) => ({ op: 'remove', which })),
    fc.constant<Op>({ op: 'signal' }),
    fc.nat(100).map<Op>((reason) => ({ op: 'abort', reason })),
  ),
  { maxLength: 30 },
);

/** A notice whose signal getter counts its reads. */
function countingNotice() {
  const source = new AbortSource();
  let reads = 0;
  const notice = {
    get aborted() {
      return source.aborted;
    },
    get reason() {
      return source.reason;
    },
    onAbort: (listener: (reason: unknown) => void) => source.onAbort(listener),
    get signal() {
      reads++;
      return source.signal;
    },
  };
  return { notice, source, reads: () => reads };
}

describe('AbortSource', () => {
  it('tells each listener present at the abort once, in order, with the first reason (property)', () => {
    fc.assert(
      fc.property(ops, (sequence) => {
        const source = new AbortSource();
        const calls: { id: number; reason: unknown }[] = [];
        const offs: (() => void)[] = [];
        const removed = new Set<number>();
        const signals: AbortSignal[] = [];
        let first: { reason: number } | undefined;
        const expected: number[] = [];
        let live: number[] = [];
        for (const step of sequence) {
          if (step.op === 'listen') {
            const id = offs.length;
            offs.push(source.onAbort((reason) => calls.push({ id, reason })));
            if (first === undefined) live.push(id);
            else expected.push(id); // told at once
          } else if (step.op === 'remove') {
            const off = offs[step.which];
            if (off === undefined) continue;
            off();
            removed.add(step.which);
            live = live.filter((id) => id !== step.which);
          } else if (step.op === 'signal') signals.push(source.signal);
          else if (first === undefined) {
            first = { reason: step.reason };
            expected.push(...live);
            live = [];
            source.abort(step.reason);
          } else source.abort(step.reason);
        }
        expect(source.aborted).toBe(first !== undefined);
        expect(source.reason).toBe(first?.reason);
        expect(calls.map((c) => c.id)).toEqual(expected);
        for (const c of calls) expect(c.reason).toBe(first?.reason);
        for (const s of [...signals, source.signal]) {
          expect(s.aborted).toBe(first !== undefined);
          if (first !== undefined) expect(s.reason).toBe(first.reason);
        }
        // One signal, whenever it is read.
        for (const s of signals) expect(s).toBe(source.signal);
      }),
      { seed: 41, numRuns: 400 },
    );
  });

  it('makes no signal until one is read', () => {
    const { notice, reads } = countingNotice();
    let told: unknown;
    notice.onAbort((r) => {
      told = r;
    });
    (notice as unknown as { onAbort: (l: () => void) => void }).onAbort(() => {});
    expect(reads()).toBe(0);
    expect(told).toBeUndefined();
  });
});

describe('noticeOf', () => {
  it('follows an AbortSignal: told on abort, not after removal', () => {
    const c = new AbortController();
    const notice = noticeOf(c.signal);
    const told: unknown[] = [];
    const off = notice.onAbort((r) => told.push(r));
    const offLater = notice.onAbort((r) => told.push(['second', r]));
    offLater();
    expect(notice.aborted).toBe(false);
    c.abort('why');
    expect(told).toEqual(['why']);
    expect(notice.aborted).toBe(true);
    expect(notice.reason).toBe('why');
    expect(notice.signal).toBe(c.signal);
    off();
    const late: unknown[] = [];
    notice.onAbort((r) => late.push(r));
    expect(late, 'a listener added after the abort is told at once').toEqual(['why']);
  });

  it("returns a notice as is, prefers a source's notice to its signal, and else reads the signal", () => {
    const source = new AbortSource();
    expect(noticeOf(source)).toBe(source);
    let reads = 0;
    const c = new AbortController();
    const scope = {
      get signal() {
        reads++;
        return c.signal;
      },
      notice: source,
    };
    expect(noticeOf(scope)).toBe(source);
    expect(reads).toBe(0);
    const plain = {
      get signal() {
        reads++;
        return c.signal;
      },
    };
    expect(noticeOf(plain).signal).toBe(c.signal);
    expect(reads).toBe(1);
  });
});

describe('withTimeout with a notice', () => {
  it("hands a `{ send }` sender the attempt's notice, aborted by the parent's abort with its reason", async () => {
    const parent = countingNotice();
    let attemptSeen: { aborted: boolean; reason: unknown } | undefined;
    const pending = withTimeout(
      {
        send: (attempt) =>
          new Promise<never>((_, reject) => {
            attemptSeen = attempt;
            attempt.onAbort(reject);
          }),
      },
      parent.notice,
      60_000,
      'model call',
      'q1',
    );
    parent.source.abort(new Error('cancelled'));
    await expect(pending).rejects.toThrow('cancelled');
    expect(attemptSeen?.aborted).toBe(true);
    expect(parent.reads(), "the parent's signal was never made").toBe(0);
  });

  it('aborts the attempt with a TimeoutError naming the call when the time is up', async () => {
    const parent = new AbortSource();
    let attempt: { reason: unknown } | undefined;
    const err = await withTimeout(
      {
        send: (a) => {
          attempt = a;
          return new Promise<never>(() => {});
        },
      },
      parent,
      20,
      'model call',
      'q7',
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({
      name: 'TimeoutError',
      message: 'model call for example "q7" timed out after 20 ms',
    });
    expect(attempt?.reason).toBe(err);
  });

  it('stops following the parent once the attempt has ended', async () => {
    const parent = new AbortSource();
    let attempt: { aborted: boolean } | undefined;
    const v = await withTimeout(
      {
        send: async (a) => {
          attempt = a;
          return 5;
        },
      },
      parent,
      60_000,
      'model call',
      undefined,
    );
    expect(v).toBe(5);
    parent.abort(new Error('later'));
    expect(attempt?.aborted, 'an ended attempt is not aborted by a later cancellation').toBe(false);
  });

  it("ends with the stopping end's reason whatever the sender does on abort, and never settles twice", async () => {
    const parent = new AbortSource();
    // The sender rejects with its own error as soon as it is aborted: the timeout's error still wins.
    const timedOut = await withTimeout(
      (signal) =>
        new Promise<never>((_, reject) =>
          signal.addEventListener('abort', () => reject(new Error('sender saw abort')), { once: true }),
        ),
      parent,
      10,
      'judge call',
      undefined,
    ).catch((e: unknown) => e);
    expect(timedOut).toMatchObject({ name: 'TimeoutError', message: 'judge call timed out after 10 ms' });
    // A sender that throws before returning a promise: its error, and the parent is no longer followed.
    const boom = new Error('refused before sending');
    let told = 0;
    const watched = {
      aborted: false,
      reason: undefined,
      signal: new AbortController().signal,
      onAbort: () => {
        told++;
        return () => {
          told--;
        };
      },
    };
    await expect(
      withTimeout(
        () => {
          throw boom;
        },
        watched,
        60_000,
        'model call',
        undefined,
      ),
    ).rejects.toBe(boom);
    expect(told, 'the listener on the parent was removed').toBe(0);
    // An already aborted parent: its reason, and nothing is sent.
    const gone = new AbortSource();
    gone.abort(new Error('run cancelled'));
    let sends = 0;
    await expect(
      withTimeout(
        async () => {
          sends++;
          return 1;
        },
        gone,
        60_000,
        'model call',
        undefined,
      ),
    ).rejects.toThrow('run cancelled');
    expect(sends).toBe(0);
  });

  it('a function sender still gets an AbortSignal', async () => {
    const parent = new AbortSource();
    const got = await withTimeout(async (signal) => signal, parent, 60_000, 'model call', undefined);
    expect(got).toBeInstanceOf(AbortSignal);
    expect(got.aborted).toBe(false);
  });
});

describe('runtime.call with a notice source', () => {
  it("a network call follows the source's notice without reading its signal, and stops on its abort", async () => {
    const rt = new CallEngine({ retry: { maxRetries: 0 } });
    const row = countingNotice();
    const scope = {
      get signal() {
        return row.notice.signal;
      },
      notice: row.notice,
    };
    const ok = await rt.call({ kind: 'model' }, { send: async () => ({ value: 'a' }) }, scope);
    expect(ok.value).toBe('a');
    const pending = rt.call(
      { kind: 'model' },
      { send: (attempt) => new Promise<never>((_, reject) => attempt.onAbort(reject)) },
      scope,
    );
    row.source.abort(new Error('row cancelled'));
    await expect(pending).rejects.toThrow('row cancelled');
    expect(row.reads(), "the row's signal was never made").toBe(0);
  });
});
