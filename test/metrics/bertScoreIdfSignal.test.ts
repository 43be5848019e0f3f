// bertScore's idf corpus is embedded once and shared by every row. Regression: it ran under the signal of the first
// row that asked for it, so when that row's metric timed out every other row waiting on it failed with the first
// row's TimeoutError, although its own metricTimeoutMs had not run out.
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/index.js';
import { bertScore } from '../../src/metrics/index.js';
import { HUNG, within } from '../_within.js';

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
    const run = evaluate(data, model, [metric], {
      progress: false,
      concurrency: 2,
      metricTimeoutMs: 400,
      maxFailureRate: 1,
    });
    const r = await within(run);
    expect(r, 'the run ended').not.toBe(HUNG);
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

  it('is aborted once the last row waiting on it has left, and the next row computes it again', async () => {
    const corpus = ['a b', 'b c'];
    const corpusSignals: AbortSignal[] = [];
    const embedTokens = (texts: readonly string[], signal: AbortSignal) => {
      if (texts !== corpus) return Promise.resolve(texts.map(tok));
      corpusSignals.push(signal);
      // The first computation takes 2 s (past the first row's bound); the second answers at once.
      if (corpusSignals.length > 1) return Promise.resolve(texts.map(tok));
      return new Promise<ReturnType<typeof tok>[]>((resolve, reject) => {
        const t = setTimeout(() => resolve(texts.map(tok)), 2_000);
        signal.addEventListener('abort', () => {
          clearTimeout(t);
          reject(signal.reason);
        });
      });
    };
    const data = [
      { id: 'first', input: 'a b', reference: 'a b' },
      { id: 'second', input: 'a b', reference: 'a b' },
    ];
    const r = await evaluate(
      data,
      async (input) => String(input),
      [bertScore({ embedTokens, idf: corpus })],
      {
        progress: false,
        concurrency: 1,
        metricTimeoutMs: 100,
        maxFailureRate: 1,
      },
    );
    expect(corpusSignals).toHaveLength(2);
    expect(corpusSignals[0]!.aborted, 'the abandoned computation was aborted').toBe(true);
    expect(r.examples.find((e) => e.id === 'first')!.scores.bert_score).toBeNull();
    expect(r.examples.find((e) => e.id === 'second')!.scores.bert_score).not.toBeNull();
  }, 10_000);
});
