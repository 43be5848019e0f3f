/** Result files for the CLI tests, written at test time from hand-built results (see test/vitest/_fixtures.ts). */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EvalResult } from '../../src/result/EvalResult.js';
import { exampleRecord, makeResult } from '../vitest/_fixtures.js';

/**
 * A run over 200 examples whose exact_match is 1 on the ids in `correct` and whose f1 is 0.5 + 0.4 × that
 * (so both metrics move together). Summaries are rough: compare() recomputes everything from the rows.
 */
export function runWith(correct: (i: number) => boolean): EvalResult {
  const examples = Array.from({ length: 200 }, (_, i) => {
    const em = correct(i) ? 1 : 0;
    return exampleRecord(`ex${String(i).padStart(3, '0')}`, em ? `answer ex${i}` : 'wrong', {
      exact_match: em,
      f1: 0.5 + 0.4 * em + ((i * 37) % 11) / 100,
    });
  });
  const mean = examples.filter((e) => e.scores.exact_match === 1).length / 200;
  const result = makeResult({
    metrics: {
      exact_match: { mean, low: mean - 0.06, high: mean + 0.06, n: 200 },
      f1: { mean: 0.5 + 0.4 * mean + 0.05, low: 0.5, high: 0.9, n: 200, kind: 'continuous' },
    },
    examples,
  });
  // As evaluate() records them: each metric's kind and declared bounds.
  const metrics = [
    { name: 'exact_match', kind: 'binary' },
    { name: 'f1', kind: 'continuous', bounds: [0, 1] },
  ];
  return { ...result, config: { ...result.config, metrics } };
}

/** Baseline: 140/200 right. */
export const baselineRun = () => runWith((i) => i < 140);
/** Better: the same 140 plus 30 more. */
export const betterRun = () => runWith((i) => i < 170);
/** Worse: 30 of the baseline's right answers lost. */
export const worseRun = () => runWith((i) => i < 110);
/** Slightly worse: 4 lost, 2 gained (difference -0.01, far from significant). */
export const slightlyWorseRun = () => runWith((i) => (i < 140 && i % 35 !== 0) || i === 150 || i === 151);

export async function writeRun(dir: string, name: string, result: EvalResult): Promise<string> {
  const path = join(dir, `${name}.json`);
  await writeFile(path, `${JSON.stringify(result)}\n`);
  return path;
}

/** `r` without metric `name`: its summary, its score column, its scores on every example, its config entry. */
export function withoutMetric(r: EvalResult, name: string): EvalResult {
  const drop = <T>(o: Readonly<Record<string, T>>) =>
    Object.fromEntries(Object.entries(o).filter(([k]) => k !== name));
  return {
    ...r,
    metrics: drop(r.metrics),
    scores: { ...r.scores, metrics: drop(r.scores.metrics) },
    examples: r.examples.map((e) => ({ ...e, scores: drop(e.scores) })),
    config: {
      ...r.config,
      metrics: (r.config.metrics as { name: string }[]).filter((m) => m.name !== name),
    },
  };
}
