// A budget reached while calls wait on the concurrency gate's hold (a 429 saying the provider's bucket is empty for
// 60 s holds every new call of the run, up to retry.maxWaitMs) stops those calls at once: they would be refused by
// the budget when the hold ends, and nothing is sent after it. Regression: the waiting calls (and the rate-limited
// call's own back-off) waited out the hold, so evaluate() returned a minute after the budget had stopped the run.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { evaluate, type Metric, wrapOpenAI } from '../../src/index.js';
import { HUNG, within } from '../_within.js';
import { answer, RATE_LIMITED, type TestServer } from './_misbehavingServer.js';

const one: Metric = { name: 'one', kind: 'binary', score: () => 1 };

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A server on 127.0.0.1 that hands `handle` each request's body as text. */
async function startBodyServer(
  handle: (body: string, res: http.ServerResponse) => void,
): Promise<TestServer> {
  let requests = 0;
  const s = http.createServer((req, res) => {
    requests++;
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => handle(body, res));
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    get requests() {
      return requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        s.closeAllConnections();
        s.close(() => resolve());
      }),
  };
}

describe('a budget reached while calls wait on a concurrency hold', () => {
  it('releases them at once: nothing more is sent, and evaluate() returns', { timeout: 60_000 }, async () => {
    // By the prompt: 'limited' is answered at once with a 429 whose headers say the request bucket is empty for 60 s,
    // 'slow' 1 s after that with 8 tokens (the budget); anything else at once (and counted). The margins leave the
    // client time to read the 429 before the late rows call, and them time to wait on the hold before 'slow' ends.
    let limitedAnswered: () => void = () => {};
    const limited = new Promise<void>((resolve) => {
      limitedAnswered = resolve;
    });
    const seen: string[] = [];
    server = await startBodyServer((prompt, res) => {
      seen.push(prompt);
      if (prompt.includes('slow')) void limited.then(() => setTimeout(() => answer(res), 1000));
      else if (prompt.includes('limited')) {
        answer(res, 429, RATE_LIMITED, {
          'x-ratelimit-remaining-requests': '0',
          'x-ratelimit-reset-requests': '60s',
        });
        limitedAnswered();
      } else answer(res);
    });
    const client = wrapOpenAI(new OpenAI({ baseURL: server.url, apiKey: 'k', maxRetries: 0 }));
    const model = async (input: unknown) => {
      // The late rows call once the 429 has set the hold: they wait on the gate.
      if (input === 'late') await limited.then(() => new Promise((resolve) => setTimeout(resolve, 300)));
      const r = await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: String(input) }],
      });
      return r.choices[0]?.message.content ?? '';
    };
    const run = evaluate(
      [
        { id: 'a', input: 'slow' },
        { id: 'b', input: 'limited' },
        { id: 'c', input: 'late' },
        { id: 'd', input: 'late' },
      ],
      model,
      [one],
      { progress: false, resamples: 100, maxFailureRate: 1, budget: { maxTokens: 8 } },
    );
    // A hang detector, far under the 60 s hold and far over what the run needs.
    const r = await within(run, 30_000);
    expect(r, 'evaluate() returned before the hold ended').not.toBe(HUNG);
    const result = r as Awaited<typeof run>;
    // Give a late request time to arrive before counting what the server saw.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(
      seen.filter((p) => p.includes('late')),
      'requests sent after the hold',
    ).toEqual([]);
    expect(server.requests).toBe(2);
    expect(result.run.stoppedBy).toBe('budget');
    expect(result.totals).toMatchObject({ requests: 2, retries: 0, inputTokens: 7, outputTokens: 1 });
  });
});
