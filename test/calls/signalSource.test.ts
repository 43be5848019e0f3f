/**
 * `runtime.call(spec, send, source)` reads the abort signal of its source only when the call needs one (the
 * network, or a flight it shares): a cache hit makes none, which is what lets a row make its signal only when
 * read. Whatever the source, a call that goes to the network gets a signal that the source's abort aborts.
 */
import { describe, expect, it } from 'vitest';
import { memoryCache } from '../../src/cache/index.js';
import { CallEngine } from '../../src/calls/callRuntime.js';

/** A signal source that counts how often its signal is read. */
function countingSource(controller = new AbortController()) {
  let reads = 0;
  return {
    source: {
      get signal() {
        reads++;
        return controller.signal;
      },
    },
    reads: () => reads,
    controller,
  };
}

const request = (i: number) => ({
  endpoint: 'http://127.0.0.1:9/v1/chat/completions',
  method: 'post',
  body: { i },
});

describe('the signal source of a call', () => {
  it('a cache hit never reads it; a miss reads it once and its abort reaches the sender', async () => {
    const rt = new CallEngine({ cache: memoryCache(), retry: { maxRetries: 0 } });
    const miss = countingSource();
    const sent: AbortSignal[] = [];
    const send = async (signal: AbortSignal) => {
      sent.push(signal);
      return { value: 'answer' };
    };
    const first = await rt.call({ kind: 'model', request: request(1) }, send, miss.source);
    expect(first.cached).toBe(false);
    expect(miss.reads()).toBeGreaterThanOrEqual(1);
    for (let k = 0; k < 5; k++) {
      const hit = countingSource();
      const again = await rt.call({ kind: 'model', request: request(1) }, send, hit.source);
      expect(again.cached).toBe(true);
      expect(again.value).toBe('answer');
      expect(hit.reads(), 'a hit makes no signal').toBe(0);
    }
    expect(sent).toHaveLength(1);
  });

  it("a call without a cache aborts with its source's signal", async () => {
    const rt = new CallEngine({ retry: { maxRetries: 0 } });
    const src = countingSource();
    const pending = rt.call(
      { kind: 'model' },
      (signal) =>
        new Promise<never>((_, reject) =>
          signal.addEventListener('abort', () => reject(signal.reason), { once: true }),
        ),
      src.source,
    );
    src.controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
    expect(src.reads()).toBeGreaterThanOrEqual(1);
  });

  it('a plain AbortSignal still works as the source', async () => {
    const rt = new CallEngine({ cache: memoryCache() });
    const c = new AbortController();
    const r = await rt.call({ kind: 'model', request: request(2) }, async () => ({ value: 7 }), c.signal);
    expect(r.value).toBe(7);
  });
});
