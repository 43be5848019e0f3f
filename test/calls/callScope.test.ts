/**
 * A call made through a row's scope (`ctx.call`, and every wrapped client) fails by rejecting: what the pipeline
 * awaits is a rejected promise it can catch, never an exception thrown from the call itself.
 */
import { describe, expect, it } from 'vitest';
import { activeScope, hasScopeSignal, scopedCall } from '../../src/calls/callScope.js';
import type { CallKind, Model } from '../../src/core/types.js';
import { evaluate } from '../../src/index.js';

const exact = {
  name: 'exact',
  kind: 'binary' as const,
  score: ({ output }: { output: string }) => (output === 'ok' ? 1 : 0),
};

describe('a call through the scope', () => {
  it('with a kind evalgate does not know is refused by a rejection that names it, before it is sent', async () => {
    let sent = 0;
    const seen: string[] = [];
    const model: Model = async (_input, ctx) => {
      const call = ctx.call({ kind: 'bogus' as CallKind, request: { q: 1 } }, async () => {
        sent++;
        return { value: 'ok' };
      });
      // Returned, not thrown: the pipeline holds a promise and catches its rejection.
      expect(call).toBeInstanceOf(Promise);
      try {
        await call;
      } catch (err) {
        seen.push(String(err));
        throw err;
      }
      return 'unreachable';
    };
    const r = await evaluate([{ id: 'a', input: 1 }], model, [exact], { progress: false, maxFailureRate: 1 });
    expect(sent).toBe(0);
    expect(seen).toEqual([
      "TypeError: Expected `kind` of a call to be 'model', 'judge' or 'embedding', got 'bogus'",
    ]);
    expect(r.nFailed).toBe(1);
    expect(r.examples[0]?.error?.name).toBe('TypeError');
    expect(r.totals.requests).toBe(0);
  });

  it('of each known kind is made and counted under that kind', async () => {
    const kinds: CallKind[] = ['model', 'judge', 'embedding'];
    const model: Model = async (input, ctx) => {
      const kind = kinds[Number(input)] as CallKind;
      const r = await ctx.call<string>({ kind, request: { kind } }, async () => ({ value: 'ok' }));
      return r.value;
    };
    const r = await evaluate(
      kinds.map((_, i) => ({ id: `k${i}`, input: i })),
      model,
      [exact],
      { progress: false },
    );
    expect(r.nFailed).toBe(0);
    expect(r.metrics.exact?.mean).toBe(1);
    expect(r.totals.requests).toBe(3);
  });
});

describe('a sender', () => {
  it('runs outside every scope, across its own awaits, and the code after the call is back in its row', async () => {
    const seen: Record<string, (string | undefined)[]> = {};
    const model: Model = async (input, ctx) => {
      const id = String(input);
      const log: (string | undefined)[] = [];
      seen[id] = log;
      log.push(activeScope()?.exampleId);
      const r = await ctx.call<string>({ request: { id } }, async () => {
        log.push(activeScope()?.exampleId ?? 'none');
        await new Promise((resolve) => setTimeout(resolve, 1));
        log.push(activeScope()?.exampleId ?? 'none');
        return { value: 'ok' };
      });
      log.push(activeScope()?.exampleId);
      await Promise.resolve();
      log.push(activeScope()?.exampleId);
      return r.value;
    };
    const ids = ['a', 'b', 'c', 'd'];
    const r = await evaluate(
      ids.map((id) => ({ id, input: id })),
      model,
      [exact],
      { progress: false, concurrency: 4 },
    );
    expect(r.nFailed).toBe(0);
    for (const id of ids) expect(seen[id]).toEqual([id, 'none', 'none', id, id]);
    // Outside evaluate(), there is no scope at all.
    expect(activeScope()).toBeUndefined();
  });
});

describe("a ctx's signal", () => {
  it("is told to be the scope's without being made, and not once a wrapper replaced it", async () => {
    const seen: boolean[] = [];
    const model: Model = async (_input, ctx) => {
      const scope = activeScope();
      if (scope === undefined) throw new Error('no scope');
      seen.push(hasScopeSignal(ctx, scope));
      seen.push(hasScopeSignal({ ...ctx, signal: new AbortController().signal }, scope));
      seen.push(hasScopeSignal({ ...ctx }, scope)); // a spread reads the getter: a data property now
      seen.push(hasScopeSignal({ signal: ctx.signal }, scope));
      return 'ok';
    };
    const r = await evaluate([{ id: 'a', input: 1 }], model, [exact], { progress: false });
    expect(r.nFailed).toBe(0);
    expect(seen).toEqual([true, false, false, false]);
  });
});

describe("scopedCall's then", () => {
  it('settles the call with what it makes of the result, once the result is tallied; what it throws rejects the call', async () => {
    const seen: unknown[] = [];
    const model: Model = async () => {
      const scope = activeScope();
      if (scope === undefined) throw new Error('no scope');
      const send = async () => ({ value: 'ok', usage: { inputTokens: 3, outputTokens: 4 } });
      const mapped = await scopedCall(scope, { request: { n: 1 } }, send, undefined, (result) => {
        seen.push(scope.tally.inputTokens, result.value);
        return `${result.value}!`;
      });
      seen.push(mapped);
      const thrown = new Error('then threw');
      const failing = scopedCall(scope, { request: { n: 2 } }, send, undefined, () => {
        throw thrown;
      });
      expect(failing).toBeInstanceOf(Promise);
      await expect(failing).rejects.toBe(thrown);
      seen.push(scope.tally.inputTokens);
      return 'ok';
    };
    const r = await evaluate([{ id: 'a', input: 1 }], model, [exact], { progress: false });
    expect(r.nFailed).toBe(0);
    // The first then saw its own call's tokens tallied; the second call was tallied before its then threw.
    expect(seen).toEqual([3, 'ok', 'ok!', 6]);
    expect(r.totals.requests).toBe(2);
  });
});
