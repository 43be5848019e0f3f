import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryCache } from '../../src/cache/index.js';
import {
  compare,
  type EvalResult,
  type Example,
  evaluate,
  loadLabels,
  loadResult,
  markdownSummary,
  renderHtmlReport,
  sampleForLabeling,
  saveResult,
  withLabels,
} from '../../src/index.js';
import { llmJudge } from '../../src/judge/index.js';
import { ppiMean } from '../../src/stats/index.js';
import { type MockServer, startMockServer } from '../../src/testing/index.js';
import '../../src/vitest/index.js';

// A biased judge through the real openai SDK against the project's mock server: it passes every right answer
// but 10% and 40% of the wrong ones, so its mean overstates the human-level accuracy. Humans label a seeded
// random third of the examples; the calibrated estimate must land on the truth where the raw one does not.
const N = 300;
/** Deterministic pseudo-random in [0, 1) from an integer (a hash, so the test needs no RNG state). */
const u = (i: number, salt: number): number => {
  let h = Math.imul(i ^ (salt * 0x9e3779b9), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
};
const rightBaseline = (i: number) => u(i, 1) < 0.6;
const rightCandidate = (i: number) => rightBaseline(i) || u(i, 2) < 0.4;
const examples: Example[] = Array.from({ length: N }, (_, i) => ({
  id: `q${i}`,
  input: `question ${i}`,
  metadata: { topic: i % 2 === 0 ? 'even' : 'odd' },
}));
const answer = (right: (i: number) => boolean) => async (_input: unknown, ctx: { example: Example }) => {
  const i = Number(ctx.example.id!.slice(1));
  return `${right(i) ? 'RIGHT' : 'WRONG'} answer to ${i}`;
};
const truth = (right: (i: number) => boolean) => examples.filter((_, i) => right(i)).length / N;

let server: MockServer;
let client: OpenAI;
const cache = memoryCache();
beforeAll(async () => {
  server = await startMockServer({
    respond: (req) => {
      const m = /(RIGHT|WRONG) answer to (\d+)/.exec(req.lastUserMessage);
      if (m === null) return undefined;
      const i = Number(m[2]);
      const pass = m[1] === 'RIGHT' ? u(i, 3) >= 0.1 : u(i, 4) < 0.4;
      return JSON.stringify({ reason: 'scripted', score: pass ? 1 : 0 });
    },
  });
  client = new OpenAI({ baseURL: server.url, apiKey: 'test', maxRetries: 0 });
});
afterAll(async () => {
  await server.close();
});

const judge = () =>
  llmJudge({
    client,
    model: 'judge-1',
    rubric: 'Is the answer right?',
    scale: { min: 0, max: 1 },
    name: 'correct',
  });
const opts = { cache, progress: false as const, resamples: 999, seed: 3, segmentBy: 'topic' as const };

/** Labels the examples `ids` with the truth, through a JSONL file and loadLabels(), and evaluates again. */
async function labeled(right: (i: number) => boolean, ids: readonly string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'evalgate-labels-'));
  const path = join(dir, 'labels.jsonl');
  writeFileSync(
    path,
    `${ids.map((id) => JSON.stringify({ id, labels: { correct: right(Number(id.slice(1))) ? 1 : 0 } })).join('\n')}\n`,
  );
  const labels = await loadLabels(path);
  expect(labels.size).toBe(ids.length);
  return evaluate(withLabels(examples, labels), answer(right), [judge()], opts);
}

describe('calibration end to end (mock judge, labels on a subset, matcher, compare)', () => {
  let base: EvalResult;
  let cand: EvalResult;
  let ids: readonly string[];
  beforeAll(async () => {
    const raw = await evaluate(examples, answer(rightBaseline), [judge()], opts);
    expect(raw.metrics.correct!.calibrated).toBeUndefined();
    ids = sampleForLabeling(raw, 100, { seed: 11 });
    expect(ids).toEqual(sampleForLabeling(raw, 100, { seed: 11 }));
    expect(new Set(ids).size).toBe(100);
    const before = server.stats.byRoute['/v1/chat/completions'];
    base = await labeled(rightBaseline, ids);
    // the labeled rerun replays the judge from the cache: labels cost no new judge call
    expect(server.stats.byRoute['/v1/chat/completions']).toBe(before);
    await evaluate(examples, answer(rightCandidate), [judge()], opts); // the candidate's outputs, judged once
    cand = await labeled(rightCandidate, ids);
  });

  it('reports a calibrated estimate whose interval covers the human-level mean the raw one misses', () => {
    const m = base.metrics.correct!;
    const c = m.calibrated!;
    const t = truth(rightBaseline);
    console.log(
      `human-level ${t}; raw judge ${m.mean.toFixed(4)} [${m.ci.low.toFixed(4)}, ${m.ci.high.toFixed(4)}]; calibrated ${c.mean.toFixed(4)} [${c.ci.low.toFixed(4)}, ${c.ci.high.toFixed(4)}] lambda ${c.lambda.toFixed(3)}`,
    );
    expect([c.nLabeled, c.nUnlabeled, c.method, c.ci.method]).toEqual([100, 200, 'ppi++', 'ppi++']);
    expect(m.ci.low).toBeGreaterThan(t);
    expect(c.ci.low).toBeLessThanOrEqual(t);
    expect(c.ci.high).toBeGreaterThanOrEqual(t);
    expect(c.lambda).toBeGreaterThan(0);
    expect(c.lambda).toBeLessThanOrEqual(1);
    const agreement = c.agreement as {
      n: number;
      accuracy: { estimate: number };
      kappa: { estimate: number };
    };
    expect(agreement.n).toBe(100);
    expect(agreement.accuracy.estimate).toBeGreaterThan(0.6);
    expect(agreement.accuracy.estimate).toBeLessThan(1);
    // per segment too
    for (const seg of ['even', 'odd']) {
      const s = base.segments![seg]!.correct!.calibrated!;
      expect(s.nLabeled + s.nUnlabeled).toBe(N / 2);
      expect(s.ci.method).toBe('ppi++');
    }
    // no warning about the labels (a random sample); the cache warning is about the plain-function model
    expect((base.warnings ?? []).filter((w) => /label/.test(w))).toEqual([]);
  });

  it('the matcher uses the calibrated interval and says so; { calibrated: false } opts out', () => {
    const m = base.metrics.correct!;
    const bar = (m.ci.low + m.calibrated!.ci.low) / 2;
    expect(base).toHaveLowerBoundAtLeast('correct', bar, { calibrated: false });
    expect(base).not.toHaveLowerBoundAtLeast('correct', bar);
    expect(() => expect(base).toHaveLowerBoundAtLeast('correct', bar)).toThrow(
      /calibrated with 100 human labels/,
    );
    expect(() =>
      expect(base).toHaveLowerBoundAtLeast('correct', bar, { calibrated: 'no' as unknown as boolean }),
    ).toThrow(TypeError);
  });

  it('survives a save and load', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'evalgate-cal-'));
    const path = join(dir, 'r.json');
    await saveResult(base, path);
    const back = await loadResult(path);
    expect(back.metrics.correct!.calibrated!.mean).toBe(base.metrics.correct!.calibrated!.mean);
    expect(back.scores.labels!.correct!.filter((v) => v !== null)).toHaveLength(100);
  });

  it('compare() of two labeled runs uses PPI++ on the paired differences', () => {
    const cmp = compare(base, cand);
    // the calibrated comparison is PPI++ on the paired differences: human differences on the 100 pairs labeled in
    // both runs, judge differences on every pair
    const bl = base.scores.labels!.correct!;
    const cl = cand.scores.labels!.correct!;
    const human: number[] = [];
    const judged: number[] = [];
    const unlabeled: number[] = [];
    for (let i = 0; i < N; i++) {
      const d = cand.scores.metrics.correct![i]! - base.scores.metrics.correct![i]!;
      if (bl[i] !== null) {
        human.push(cl[i]! - bl[i]!);
        judged.push(d);
      } else unlabeled.push(d);
    }
    const direct = ppiMean({ human, judge: judged }, unlabeled);
    const c = cmp.metrics.correct!.calibrated!;
    const diff = truth(rightCandidate) - truth(rightBaseline);
    console.log(
      `true difference ${diff.toFixed(4)}; raw ${cmp.metrics.correct!.difference.toFixed(4)}; calibrated ${c.difference.toFixed(4)} [${c.ci.low.toFixed(4)}, ${c.ci.high.toFixed(4)}]`,
    );
    expect([c.nLabeled, c.nUnlabeled]).toEqual([100, 200]);
    expect([c.difference, c.ci.low, c.ci.high, c.lambda, c.pValue]).toEqual([
      direct.estimate,
      direct.ci.low,
      direct.ci.high,
      direct.lambda,
      direct.pValue,
    ]);
    // the raw judge difference understates the true one (the judge passes 40% of wrong answers); the
    // calibrated estimate moves toward it (coverage itself is the simulation's job, test/stats/ppiSimulation)
    expect(Math.abs(c.difference - diff)).toBeLessThan(Math.abs(cmp.metrics.correct!.difference - diff));
    expect(c.significant).toBe(c.pValueAdjusted < cmp.alpha);
    expect(cmp).toBeSignificantlyBetter({ metric: 'correct' });
    expect(() => expect(cmp).not.toBeSignificantlyBetter({ metric: 'correct' })).toThrow(
      /calibrated with 100 human label pairs/,
    );
    expect(compare(base, cand, { margin: 0.01 })).toBeNonInferior({ metric: 'correct' });
    // the reports show the calibrated difference beside the raw one
    const md = markdownSummary({ comparisons: [{ name: 'v2', comparison: cmp }] });
    expect(md).toContain('### Calibrated differences (PPI++ with human labels in both runs)');
    expect(md).toContain('| v2 | correct | +0.08 [0.05, 0.1167] | +0.09435 [0.05272, 0.136] | 0.792 | 100 |');
    const html = renderHtmlReport(cand, { baseline: base, comparison: cmp });
    expect(html).toContain('<section id="calibrated-comparison">');
    expect(html).toContain('<section id="calibration">');
  });

  it('warns when the labels are the first rows or one segment, and refuses a gate on a labeled metric', async () => {
    const first = examples.map((e, i) =>
      i < 40 ? { ...e, labels: { correct: rightBaseline(i) ? 1 : 0 } } : e,
    );
    const r = await evaluate(first, answer(rightBaseline), [judge()], opts);
    expect(r.warnings!.join('\n')).toMatch(/40 human labels of `correct` are on the first 40 rows/);
    const even = examples.map((e, i) =>
      i % 2 === 0 && i < 100 ? { ...e, labels: { correct: rightBaseline(i) ? 1 : 0 } } : e,
    );
    const r2 = await evaluate(even, answer(rightBaseline), [judge()], opts);
    expect(r2.warnings!.join('\n')).toMatch(/every human label of `correct` is in segment "even"/);
    const few = examples.map((e, i) => (i === 5 ? { ...e, labels: { correct: 1 } } : e));
    const r3 = await evaluate(few, answer(rightBaseline), [judge()], opts);
    expect(r3.warnings!.join('\n')).toMatch(/only 1 rows/);
    expect(r3.metrics.correct!.calibrated).toBeUndefined();
    await expect(
      evaluate(first, answer(rightBaseline), [judge()], {
        ...opts,
        gate: { metric: 'correct', atLeast: 0.5 },
      }),
    ).rejects.toThrow(/A gate on `correct` is refused: its examples carry human labels/);
    await expect(
      evaluate(
        [{ input: 'x', labels: { correct: 'yes' as unknown as number } }],
        answer(rightBaseline),
        [judge()],
        opts,
      ),
    ).rejects.toThrow(/expected `labels.correct` to be a finite number/);
  });
});
