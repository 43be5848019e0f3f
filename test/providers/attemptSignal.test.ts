// A routed openai request follows three signals at its fetch: the runtime's attempt (per-attempt timeout, the
// row's cancellation), the SDK's own (its `timeout` option) and a signal the caller passed. evalgate joins the
// attempt's signal at the client's fetch rather than handing it to the SDK (which would join it with the costly
// AbortSignal.any); these tests hold that every one of the three still reaches the request. Where the SDK makes the
// request's controller known (its `_makeAbort`), the attempt aborts that controller and no signal is joined.
import OpenAI from 'openai';
import OpenAI6 from 'openai-v6';
import { describe, expect, it } from 'vitest';
import { evaluate, type Metric, type Model, openaiModel, wrapOpenAI } from '../../src/index.js';

const any: Metric = { name: 'any', kind: 'binary', score: () => 1 };
const rows = [{ id: 'r0', input: 'q' }];
const messages = [{ role: 'user' as const, content: 'q' }];

/** A fetch that never answers: it records the signal it was given and rejects when that signal aborts. */
function hangingFetch() {
  const signals: AbortSignal[] = [];
  const fetch = (_url: unknown, init?: { signal?: AbortSignal | null }) => {
    const signal = init?.signal;
    if (!(signal instanceof AbortSignal)) return Promise.reject(new Error('fetch was given no signal'));
    signals.push(signal);
    return new Promise<Response>((_, reject) => {
      if (signal.aborted) reject(signal.reason);
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  };
  return { fetch, signals };
}

const options = { timeoutMs: 100, retry: { maxRetries: 0 }, maxFailureRate: 1, progress: false } as const;

describe("a routed openai request's fetch", () => {
  it.each(['wrapOpenAI', 'openaiModel'] as const)(
    'is aborted by the per-attempt timeout (%s)',
    async (via) => {
      const hang = hangingFetch();
      const client = new OpenAI({
        baseURL: 'http://127.0.0.1:9/v1',
        apiKey: 'k',
        fetch: hang.fetch as never,
      });
      const wrapped = wrapOpenAI(client);
      const model =
        via === 'openaiModel'
          ? openaiModel({ client, model: 'm' })
          : async () =>
              (await wrapped.chat.completions.create({ model: 'm', messages })).choices[0]?.message.content ??
              '';
      const r = await evaluate(rows, model, [any], options);
      expect(r.examples[0]!.error).toMatchObject({ name: 'TimeoutError', code: 'E_TIMEOUT' });
      expect(hang.signals).toHaveLength(1);
      expect(hang.signals[0]!.aborted).toBe(true);
      expect(hang.signals[0]!.reason).toMatchObject({ name: 'TimeoutError' });
    },
  );

  it.each([
    ['openai 7', OpenAI],
    ['openai 6', OpenAI6],
  ] as const)("is sent with the SDK's own signal, which the attempt aborts (%s)", async (_, Sdk) => {
    const hang = hangingFetch();
    const client = new Sdk({ baseURL: 'http://127.0.0.1:9/v1', apiKey: 'k', fetch: hang.fetch as never });
    // The controller the SDK makes for the request, seen where the SDK hands it out (before evalgate routes it).
    const controllers: AbortController[] = [];
    const makeAbort = (client as unknown as { _makeAbort: (c: AbortController) => () => void })._makeAbort;
    Object.assign(client, {
      _makeAbort(this: unknown, controller: AbortController) {
        controllers.push(controller);
        return makeAbort.call(this, controller);
      },
    });
    const wrapped = wrapOpenAI(client as OpenAI);
    const model = async () =>
      (await wrapped.chat.completions.create({ model: 'm', messages })).choices[0]?.message.content ?? '';
    const r = await evaluate(rows, model, [any], options);
    expect(r.examples[0]!.error).toMatchObject({ name: 'TimeoutError', code: 'E_TIMEOUT' });
    expect(controllers).toHaveLength(1);
    expect(hang.signals).toHaveLength(1);
    expect(hang.signals[0], "the fetch was given the signal of the SDK's own controller").toBe(
      controllers[0]!.signal,
    );
    expect(hang.signals[0]!.reason).toMatchObject({ name: 'TimeoutError' });
  });

  it("is aborted by the SDK's own timeout, well before the runtime's", async () => {
    const hang = hangingFetch();
    const client = wrapOpenAI(
      new OpenAI({ baseURL: 'http://127.0.0.1:9/v1', apiKey: 'k', fetch: hang.fetch as never, timeout: 50 }),
    );
    const model = async () =>
      (await client.chat.completions.create({ model: 'm', messages })).choices[0]?.message.content ?? '';
    const started = performance.now();
    const r = await evaluate(rows, model, [any], { ...options, timeoutMs: 20_000 });
    expect(performance.now() - started, 'the SDK timeout (50 ms) ended the call').toBeLessThan(10_000);
    expect(r.nFailed).toBe(1);
    expect(hang.signals[0]!.aborted).toBe(true);
  });

  it('is aborted by a signal the caller passed to the SDK method', async () => {
    const hang = hangingFetch();
    const client = wrapOpenAI(
      new OpenAI({ baseURL: 'http://127.0.0.1:9/v1', apiKey: 'k', fetch: hang.fetch as never }),
    );
    const mine = new AbortController();
    const model = async () => {
      setTimeout(() => mine.abort(new Error('caller gave up')), 50);
      return (
        (await client.chat.completions.create({ model: 'm', messages }, { signal: mine.signal })).choices[0]
          ?.message.content ?? ''
      );
    };
    const started = performance.now();
    const r = await evaluate(rows, model, [any], { ...options, timeoutMs: 20_000 });
    expect(performance.now() - started, "the caller's abort (50 ms) ended the call").toBeLessThan(10_000);
    expect(r.nFailed).toBe(1);
    expect(hang.signals[0]!.aborted).toBe(true);
  });

  it("openaiModel follows a signal a wrapper put in place of the row's in its ctx", async () => {
    const hang = hangingFetch();
    const client = new OpenAI({ baseURL: 'http://127.0.0.1:9/v1', apiKey: 'k', fetch: hang.fetch as never });
    const inner = openaiModel({ client, model: 'm' });
    const mine = new AbortController();
    const model: Model = (input, ctx) => {
      setTimeout(() => mine.abort(new Error('wrapper gave up')), 50);
      return inner(input, { ...ctx, signal: mine.signal });
    };
    const started = performance.now();
    const r = await evaluate(rows, model, [any], { ...options, timeoutMs: 20_000 });
    expect(performance.now() - started, "the wrapper's abort (50 ms) ended the call").toBeLessThan(10_000);
    expect(r.nFailed).toBe(1);
    expect(hang.signals[0]!.aborted).toBe(true);
  });
});
