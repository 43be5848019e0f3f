// Child of test/calls/abortedWaitTimers.test.ts: a run whose calls wait (the concurrency gate held for 60 s by an
// exhausted bucket, or a 2-rpm rate limit), aborted after 300 ms. Prints how long evaluate() took, then lets the
// process end by itself: the parent measures when it exits.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { evaluate, openaiModel } from '../../src/index.js';
import { COMPLETION } from './_misbehavingServer.js';

const wait = process.argv[2];
let n = 0;
const server = http.createServer((req, res) => {
  const i = n++;
  req.resume();
  req.on('end', () => {
    if (wait === 'hold' && i === 0) {
      res.writeHead(429, {
        'content-type': 'application/json',
        'x-ratelimit-remaining-requests': '0',
        'x-ratelimit-reset-requests': '60s',
      });
      res.end('{}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(COMPLETION);
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const client = new OpenAI({
  baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
  apiKey: 'x',
});
const stop = new AbortController();
setTimeout(() => stop.abort(new Error('stop')), 300);
const started = performance.now();
const rows = Array.from({ length: 20 }, (_, i) => ({ id: `q${i}`, input: `q ${i}` }));
const r = await evaluate(rows, openaiModel({ model: 'gpt-4o-mini', client }), [], {
  progress: false,
  resamples: 50,
  concurrency: 4,
  signal: stop.signal,
  maxFailureRate: 1,
  ...(wait === 'limiter' ? { rateLimit: { rpm: 2 } } : {}),
});
console.log(
  JSON.stringify({ stoppedBy: r.run.stoppedBy, evaluateMs: Math.round(performance.now() - started) }),
);
server.closeAllConnections();
server.close();
