// Property (issue 20, item 1): for any sequence of requests a row sends through a wrapped client — GETs and POSTs
// to a few paths, repeated in any order, as a poll loop or a paginating pipeline does — the run counts exactly
// the requests the server received; a rerun with the same cache sends nothing and sees the same answers; and
// replay sees the same answers in the same order. The server answers each request with a new number, so an
// answer replayed out of order, or from another request, shows.
import http from 'node:http';
import fc from 'fast-check';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryCache } from '../../src/cache/index.js';
import { evaluate, type Metric, wrapOpenAI } from '../../src/index.js';

let url = '';
let received = 0;
let close: () => Promise<void>;
beforeAll(async () => {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ n: received }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`;
  close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
});
afterAll(() => close());

const one: Metric = { name: 'one', kind: 'binary', score: () => 1 };
const step = fc.record({
  method: fc.constantFrom('get' as const, 'post' as const),
  path: fc.constantFrom('/things/a', '/things/b', '/things/a/status'),
  body: fc.constantFrom(0, 1),
});

describe('a row’s request sequence through a wrapped client', () => {
  it('is counted as sent, answered again from the cache, and replayed in order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps) => {
        const client = wrapOpenAI(new OpenAI({ baseURL: url, apiKey: 'sk-test', maxRetries: 0 }));
        const model = async () => {
          const seen: number[] = [];
          for (const s of steps) {
            const r =
              s.method === 'get'
                ? await client.get<{ n: number }>(s.path)
                : await client.post<{ n: number }>(s.path, { body: { v: s.body } });
            seen.push(r.n);
          }
          return seen.join(',');
        };
        const cache = memoryCache();
        const opts = { progress: false, resamples: 10, retry: { maxRetries: 0 } } as const;
        const before = received;
        const live = await evaluate([{ id: 'r', input: 0 }], model, [one], { ...opts, cache });
        const sent = received - before;
        expect(live.examples[0]!.error).toBeUndefined();
        expect(live.totals.requests).toBe(sent);
        // Every request is sent, as without a cache: a GET repeated may read a changed resource, a POST repeated
        // asks for another answer (each its own entry).
        expect(sent).toBe(steps.length);
        for (const mode of ['read-write', 'replay'] as const) {
          const again = await evaluate([{ id: 'r', input: 0 }], model, [one], {
            ...opts,
            cache: { store: cache, mode },
          });
          expect(again.examples[0]!.output).toBe(live.examples[0]!.output);
          expect(again.totals.requests).toBe(0);
        }
        expect(received - before).toBe(sent);
      }),
      { seed: 20, numRuns: 200 },
    );
  }, 120_000);
});
