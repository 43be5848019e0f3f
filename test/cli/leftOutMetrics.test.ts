/**
 * `evalgate compare` names every metric it did not compare: one the candidate no longer scores, one new in the
 * candidate, and one `--metric` left out. A gate that passes on f1 must not read as a pass on exact_match.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EvalResult } from '../../src/result/EvalResult.js';
import { baselineRun, withoutMetric, worseRun, writeRun } from './_resultFiles.js';
import { evalgate } from './_runCli.js';

/** worse.json's exact_match (30 answers lost: -0.15, p = 3.7e-9) with the baseline's f1: only exact_match regressed. */
function exactMatchWorse(): EvalResult {
  const worse = worseRun();
  const base = baselineRun();
  return {
    ...worse,
    metrics: { ...worse.metrics, f1: base.metrics.f1! },
    scores: { ...worse.scores, metrics: { ...worse.scores.metrics, f1: base.scores.metrics.f1! } },
    examples: worse.examples.map((e, i) => ({
      ...e,
      scores: { ...e.scores, f1: base.examples[i]!.scores.f1! },
    })),
  };
}

let files: Record<'base' | 'noF1' | 'emWorse', string>;
beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'evalgate-cli-left-out-'));
  files = {
    base: await writeRun(dir, 'base', baselineRun()),
    noF1: await writeRun(dir, 'no-f1', withoutMetric(baselineRun(), 'f1')),
    emWorse: await writeRun(dir, 'em-worse', exactMatchWorse()),
  };
});

describe('evalgate compare: metrics not compared are named', () => {
  it('a metric the candidate no longer scores', async () => {
    const { code, stdout } = await evalgate(['compare', files.base, files.noF1], 60_000);
    expect(code).toBe(0);
    expect(stdout).toContain('evalgate: not compared: f1 (the candidate has no scores for it)\n');
    expect(stdout.trimEnd().endsWith('evalgate: no regression on 1 metric(s)')).toBe(true);
  });

  it('a metric new in the candidate', async () => {
    const { code, stdout } = await evalgate(['compare', files.noF1, files.base], 60_000);
    expect(code).toBe(0);
    expect(stdout).toContain('evalgate: not compared: f1 (the baseline has no scores for it)\n');
  });

  it('a regressed metric --metric left out, on stderr beside the summary under --json', async () => {
    const { code, stdout, stderr } = await evalgate(
      ['compare', files.base, files.emWorse, '--metric', 'f1', '--json'],
      60_000,
    );
    expect(code).toBe(0);
    expect(Object.keys(JSON.parse(stdout).metrics)).toEqual(['f1']);
    expect(stderr).toBe(
      'evalgate: not compared: exact_match (left out by --metric)\nevalgate: no regression on 1 metric(s)\n',
    );
    const all = await evalgate(['compare', files.base, files.emWorse], 60_000);
    expect(all.code).toBe(1);
    expect(all.stdout).not.toContain('not compared');
  });
});
