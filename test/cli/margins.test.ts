// `evalgate compare` margins: per metric, relative to each metric's range, and never one absolute margin
// silently applied to metrics on different scales; wording that separates a significant regression from a
// non-inferiority that was merely not shown.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compare } from '../../src/result/compare.js';
import type { EvalResult } from '../../src/result/EvalResult.js';
import { exampleRecord, makeResult } from '../vitest/_fixtures.js';
import { writeRun } from './_resultFiles.js';
import { evalgate } from './_runCli.js';

/**
 * 120 examples scored by exact_match (0/1) and a 1–5 llm_judge. The candidate gets `gained` more answers right
 * and its judge scores move by `judgeShift` on average with noise (so the judge's interval is wide on its scale).
 */
function run(gained: number, judgeShift: number, jitter = 0): EvalResult {
  const examples = Array.from({ length: 120 }, (_, i) => {
    const em = i < 70 + gained ? 1 : 0;
    const noise = (((i * 53) % 17) - 8) / 4; // in [-2, 2]
    const wobble = jitter * ((((i * 29) % 13) - 6) / 6); // in [-jitter, jitter], paired noise of the candidate
    const judge = Math.min(5, Math.max(1, 3 + noise * 0.5 + judgeShift + wobble));
    return exampleRecord(`q${String(i).padStart(3, '0')}`, em ? 'right' : 'wrong', {
      exact_match: em,
      llm_judge: judge,
    });
  });
  const r = makeResult({
    metrics: {
      exact_match: { mean: 0.6, low: 0.5, high: 0.7, n: 120 },
      llm_judge: { mean: 3, low: 2.8, high: 3.2, n: 120, kind: 'continuous' },
    },
    examples,
  });
  const metrics = [
    { name: 'exact_match', kind: 'binary' },
    { name: 'llm_judge', kind: 'continuous', bounds: [1, 5] },
  ];
  return { ...r, config: { ...r.config, metrics } };
}

let files: Record<'base' | 'better' | 'noisy', string>;
beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'evalgate-margins-'));
  files = {
    base: await writeRun(dir, 'base', run(0, 0)),
    // Clearly better: 20 more right answers, and the judge a little higher on average.
    better: await writeRun(dir, 'better', run(20, 0.1)),
    // The same answers, the judge a little lower but noisy: no significant loss, non-inferiority not shown.
    noisy: await writeRun(dir, 'noisy', run(0, -0.05, 1.5)),
  };
});

describe('evalgate compare --margin', () => {
  it('a bare margin over a 0–1 rate and a 1–5 judge is refused, naming both ranges and the fixes', async () => {
    const { code, stderr, stdout } = await evalgate([
      'compare',
      files.base,
      files.better,
      '--margin',
      '0.05',
    ]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(
      'evalgate: --margin 0.05 would apply one absolute margin to metrics on different or unknown scales ' +
        '(exact_match: [0, 1]; llm_judge: [1, 5]): give each metric its own (--margin exact_match=<margin> ' +
        "--margin llm_judge=<margin>) or one relative to each metric's range (--margin 2%)",
    );
  });

  it('a bare margin is accepted for one metric (its scale is unambiguous)', async () => {
    const { code, stdout } = await evalgate([
      'compare',
      files.base,
      files.better,
      '--margin',
      '0.05',
      '--metric',
      'exact_match',
    ]);
    expect(code).toBe(0);
    expect(stdout.trimEnd().endsWith('evalgate: no regression on 1 metric(s) (margin 0.05)')).toBe(true);
  });

  it('per-metric margins: a clearly better prompt passes, each cell names its margin', async () => {
    const { code, stdout } = await evalgate([
      'compare',
      files.base,
      files.better,
      '--margin',
      'exact_match=0.02',
      '--margin',
      'llm_judge=0.2',
    ]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/non-inferior \(margin\)\n/);
    expect(stdout).toMatch(/\nexact_match .* better\s+yes \(0\.02\)\n/);
    expect(stdout).toMatch(/\nllm_judge .*yes \(0\.2\)\n/);
    expect(
      stdout
        .trimEnd()
        .endsWith('evalgate: no regression on 2 metric(s) (margins: exact_match 0.02, llm_judge 0.2)'),
    ).toBe(true);
  });

  it('--margin 2% is 0.02 × each metric range (0.02 for the rate, 0.08 for the 1–5 judge); a name overrides it', async () => {
    const rel = JSON.parse(
      (await evalgate(['compare', files.base, files.better, '--margin', '2%', '--json'])).stdout,
    );
    expect(rel.margin).toBeUndefined();
    expect(rel.metrics.exact_match.margin).toBe(0.02);
    expect(rel.metrics.llm_judge.margin).toBe(0.08);
    const mixed = JSON.parse(
      (
        await evalgate([
          'compare',
          files.base,
          files.better,
          '--margin',
          '2%',
          '--margin',
          'llm_judge=0.3',
          '--json',
        ])
      ).stdout,
    );
    expect(mixed.metrics.exact_match.margin).toBe(0.02);
    expect(mixed.metrics.llm_judge.margin).toBe(0.3);
    const pct = JSON.parse(
      (await evalgate(['compare', files.base, files.better, '--margin', 'llm_judge=5%', '--json'])).stdout,
    );
    expect(pct.metrics.llm_judge.margin).toBeCloseTo(0.2, 12);
    expect(pct.metrics.exact_match.margin).toBeUndefined();
  });

  it('a loss that is not significant but not ruled out is "not shown non-inferior", never REGRESSION', async () => {
    const { code, stdout } = await evalgate([
      'compare',
      files.base,
      files.noisy,
      '--margin',
      'llm_judge=0.05',
      '--metric',
      'llm_judge',
    ]);
    expect(code).toBe(1);
    expect(stdout).not.toContain('REGRESSION');
    expect(stdout).toContain(
      'evalgate: NOT SHOWN NON-INFERIOR on 1 metric(s):\n  llm_judge: not shown non-inferior: CI lower bound',
    );
    expect(stdout).toMatch(/\nllm_judge .*no significant difference\s+not shown \(0\.05\)\n/);
  });

  it('a significant loss is REGRESSION', async () => {
    const { code, stdout } = await evalgate([
      'compare',
      files.better,
      files.base,
      '--margin',
      'exact_match=0.02',
      '--margin',
      'llm_judge=0.2',
    ]);
    expect(code).toBe(1);
    expect(stdout).toContain(
      'evalgate: REGRESSION on 1 metric(s):\n  exact_match: significantly worse (difference -0.1667',
    );
  });

  it.each([
    [
      ['--margin', 'nope=0.1'],
      '--margin nope=0.1 names metric "nope", which is not compared (compared: exact_match, llm_judge)',
    ],
    [
      ['--margin', '0.1', '--margin', '2%'],
      '--margin without a metric name was given 2 times (0.1, 2%): give one, and name the others (<metric>=<margin>)',
    ],
    [
      ['--margin', 'llm_judge=0.1', '--margin', 'llm_judge=0.2'],
      '--margin for metric "llm_judge" was given twice',
    ],
    [['--margin', 'llm_judge=-1'], '--margin must be a number >= 0'],
  ])('refuses %j', async (flags, message) => {
    const { code, stderr } = await evalgate(['compare', files.base, files.better, ...flags]);
    expect(code).toBe(2);
    expect(stderr).toContain(`evalgate: ${message}`);
  });
});

describe('compare() with a margin per metric', () => {
  it('each metric is judged by its own margin; the document has no single margin', () => {
    const c = compare(run(0, 0), run(20, 0.1), {
      margin: { exact_match: 0.02, llm_judge: 0.2 },
      resamples: 200,
    });
    expect(c.margin).toBeUndefined();
    expect(c.metrics.exact_match!.margin).toBe(0.02);
    expect(c.metrics.llm_judge!.margin).toBe(0.2);
    expect(c.metrics.exact_match!.nonInferior).toBe(c.metrics.exact_match!.ci.low > -0.02);
    expect(c.metrics.llm_judge!.nonInferior).toBe(c.metrics.llm_judge!.ci.low > -0.2);
  });

  it('a metric left out of the record has no margin; an unknown name or a bad value is refused', () => {
    const c = compare(run(0, 0), run(20, 0.1), { margin: { llm_judge: 0.2 }, resamples: 200 });
    expect(c.metrics.exact_match!.margin).toBeUndefined();
    expect(c.metrics.exact_match!.nonInferior).toBeUndefined();
    expect(() => compare(run(0, 0), run(0, 0), { margin: { f1: 0.1 } })).toThrow(
      '`margin` names metric "f1", which is not compared (compared: exact_match, llm_judge).',
    );
    expect(() => compare(run(0, 0), run(0, 0), { margin: { llm_judge: -1 } })).toThrow(RangeError);
  });
});
