// bertScore's idf corpus is embedded once, shared by every row, but with the signal of the first row that
// asked for it. When that row's metric times out, the shared computation is aborted and every other row waiting on
// it fails with the FIRST row's TimeoutError, although its own metricTimeoutMs had not run out.
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/index.js';
import { bertScore } from '../../src/metrics/index.js';

const tok = (t: string) => ({ tokens: t.split(' '), embeddings: t.split(' ').map(() => [1, 0]) });

describe('bertScore idf shared across rows', () => {
  it("one row's metric timeout does not fail the other rows waiting on the shared idf", async () => {
    const corpus = ['a b', 'b c'];
    const embedTokens = (texts: readonly string[], signal: AbortSignal) => {
      if (texts !== corpus) return Promise.resolve(texts.map(tok));
      // The idf corpus takes 500 ms and honours its signal.
      return new Promise<ReturnType<typeof tok>[]>((resolve, reject) => {
        const t = setTimeout(() => resolve(texts.map(tok)), 500);
        signal.addEventListener('abort', () => {
          clearTimeout(t);
          reject(signal.reason);
        });
      });
    };
    const metric = bertScore({ embedTokens, idf: corpus });
    // Row "early" reaches its metric at ~0 ms (deadline 400 ms); row "late" at ~250 ms (deadline 650 ms), so the
    // idf (ready at 500 ms) is within the late row's own bound.
    const model = async (input: unknown) =>
      input === 'late' ? new Promise<string>((r) => setTimeout(() => r('a b'), 250)) : 'a b';
    const data = [
      { id: 'early', input: 'early', reference: 'a b' },
      { id: 'late', input: 'late', reference: 'a b' },
    ];
    const hung = Symbol('hung');
    const run = evaluate(data, model, [metric], {
      progress: false,
      concurrency: 2,
      metricTimeoutMs: 400,
      maxFailureRate: 1,
    });
    const r = await Promise.race([run, new Promise((resolve) => setTimeout(() => resolve(hung), 5_000))]);
    expect(r, 'the run ended').not.toBe(hung);
    const { examples } = r as Awaited<typeof run>;
    const late = examples.find((e) => e.id === 'late')!;
    // On the current code: late.scores.bert_score is null and its details hold
    // 'metric `bert_score` for example "early" timed out after 400 ms'.
    expect(
      (late.details?.bert_score as { error?: unknown } | undefined)?.error,
      'late row error',
    ).toBeUndefined();
    expect(late.scores.bert_score).not.toBeNull();
  }, 10_000);
});
