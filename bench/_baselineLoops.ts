// The loops a user would write without evalgate (bench/_loops.ts), for bench/throughput.ts, run in a process of
// their own that never calls evaluate(). Why a process of its own: evaluate() runs a row's code inside an
// AsyncLocalStorage scope, and on Node.js 20 and 22 an AsyncLocalStorage, once used, installs promise hooks for the
// rest of the process (every promise then costs ~5x on Node.js 20). A baseline measured in the process that ran
// evaluate() pays for evalgate's hooks too, so the ratios flattered evalgate; a user's own loop, in a process
// without evalgate, pays nothing of the kind.
//
// Protocol: one JSON request per line on stdin, one JSON answer per line on stdout.
//   { "loop": "handWritten", "n": 100000, "concurrency": 64 }    -> { "ms": ..., "mean": ... }
//   { "loop": "bare", "url": "...", "n": 1280, "concurrency": 64 } -> { "rate": ... }
import { createInterface } from 'node:readline';
import OpenAI from 'openai';
import { benchDataset } from './_benchRows.js';
import { bareLoop, handWritten } from './_loops.js';

const clients = new Map<string, OpenAI>();

/** The bare loop against the mock at `url`, with one client per URL kept across rounds (as the in-process one). */
async function bare(url: string, n: number, concurrency: number): Promise<{ rate: number }> {
  let client = clients.get(url);
  if (client === undefined) {
    client = new OpenAI({ baseURL: url, apiKey: 'bench', maxRetries: 3 });
    clients.set(url, client);
  }
  return { rate: await bareLoop(client, benchDataset(n), concurrency) };
}

interface Ask {
  readonly loop: 'handWritten' | 'bare';
  readonly n: number;
  readonly concurrency: number;
  readonly url?: string;
}

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  const ask = JSON.parse(line) as Ask;
  const answer =
    ask.loop === 'handWritten'
      ? await handWritten(ask.n, ask.concurrency)
      : await bare(String(ask.url), ask.n, ask.concurrency);
  process.stdout.write(`${JSON.stringify(answer)}\n`);
}
