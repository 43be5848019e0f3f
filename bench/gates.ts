/**
 * What anytime-valid gates save: for a model at true accuracy 0.80 / 0.85 / 0.90 / 0.95 gated at 0.70 on a
 * 10,000-example dataset, the median number of rows the gate needed (over SEEDS seeded orders) and the share of
 * the bill saved, next to the full run (every example, measured in the same process). evaluate() +
 * openaiModel() against the mock server (in process, no latency), priced like a small model.
 * Target (issue 14): median rows >= 20x fewer than the full run at 0.90 and >= 10x fewer at 0.80.
 *   npm run bench:gates
 */
import OpenAI from 'openai';
import type { Example } from '../src/core/types.js';
import { evaluate, openaiModel } from '../src/index.js';
import { exactMatch } from '../src/metrics/index.js';
import { startMockServer } from '../src/testing/index.js';

const N = 10_000;
const BAR = 0.7;
const ACCURACIES = [0.8, 0.85, 0.9, 0.95];
const SEEDS = 21;
const price = { inputPerMillion: 0.15, outputPerMillion: 0.6 };

const dataset: Example[] = Array.from({ length: N }, (_, i) => ({
  id: `q${i}`,
  input: `question ${i}`,
  reference: `answer ${i}`,
}));
/** Exactly `accuracy` x N examples are answered right, spread by a fixed scramble (7919 is prime to N). */
const right = (accuracy: number, i: number) => ((i * 7919) % N) / N < accuracy;

const server = await startMockServer({
  respond: (req) => {
    const accuracy = Number(String(req.body.model).slice('mock-'.length));
    const i = Number(req.lastUserMessage.slice('question '.length));
    return right(accuracy, i) ? `answer ${i}` : 'no idea';
  },
});
const client = new OpenAI({ baseURL: server.url, apiKey: 'bench', maxRetries: 0 });
const model = (accuracy: number) => openaiModel({ model: `mock-${accuracy}`, client, temperature: 0 });
const pricing = Object.fromEntries(ACCURACIES.map((a) => [`mock-${a}`, price]));
const opts = { concurrency: 8, progress: false, resamples: 200, pricing } as const;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const lines: string[] = [];
for (const accuracy of ACCURACIES) {
  const full = await evaluate(dataset, model(accuracy), [exactMatch()], opts);
  const rows: number[] = [];
  const bills: number[] = [];
  const decisions = new Map<string, number>();
  for (let seed = 0; seed < SEEDS; seed++) {
    const r = await evaluate(dataset, model(accuracy), [exactMatch()], {
      ...opts,
      seed,
      gate: { metric: 'exact_match', atLeast: BAR },
    });
    rows.push(r.n);
    bills.push(r.totals.costUsd);
    decisions.set(r.gate!.decision, (decisions.get(r.gate!.decision) ?? 0) + 1);
  }
  const mRows = median(rows);
  const mBill = median(bills);
  lines.push(
    [
      accuracy.toFixed(2),
      String(mRows).padStart(6),
      `${Math.min(...rows)}-${Math.max(...rows)}`.padStart(9),
      String(full.n).padStart(6),
      `${(full.n / mRows).toFixed(1)}x`.padStart(7),
      `$${mBill.toFixed(5)}`.padStart(10),
      `$${full.totals.costUsd.toFixed(5)}`.padStart(10),
      `${((1 - mBill / full.totals.costUsd) * 100).toFixed(1)}%`.padStart(7),
      [...decisions].map(([d, k]) => `${d} ${k}/${SEEDS}`).join(', '),
    ].join('  '),
  );
  console.error(`done ${accuracy}`);
}
await server.close();
console.log(
  `gate exact_match >= ${BAR} on ${N} examples, ${SEEDS} seeded orders per accuracy (PrPl-EB, 95%):`,
);
console.log('acc   median  min-max    full   fewer   gated bill  full bill   saved  decisions');
for (const l of lines) console.log(l);
