/**
 * `evalgate compare`'s exit code against what compare() and the matchers decide: a run the library refuses to
 * take as evidence must never exit 0.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compare } from '../../src/result/compare.js';
import type { EvalResult } from '../../src/result/EvalResult.js';
import { baselineRun, worseRun, writeRun } from './_resultFiles.js';
import { evalgate } from './_runCli.js';

/** The baseline's answers with f1 scored on a 0–100 scale: every score outside its declared [0, 1]. */
function percentF1(): EvalResult {
  const r = baselineRun();
  const f1 = r.metrics.f1!;
  return {
    ...r,
    examples: r.examples.map((e) => ({ ...e, scores: { ...e.scores, f1: (e.scores.f1 as number) * 100 } })),
    scores: {
      ...r.scores,
      metrics: { ...r.scores.metrics, f1: r.scores.metrics.f1!.map((x) => (x === null ? null : x * 100)) },
    },
    metrics: { ...r.metrics, f1: { ...f1, mean: f1.mean * 100, broken: { outOfBounds: 200, n: 200 } } },
  };
}

let dir: string;
const files: Record<string, string> = {};
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evalgate-cli-verdicts-'));
  files.base = await writeRun(dir, 'base', baselineRun());
  files.percent = await writeRun(dir, 'percent', percentF1());
  files.worse = await writeRun(dir, 'worse', worseRun());
  files.again = await writeRun(dir, 'again', baselineRun());
});

describe('evalgate compare: what the library refuses as evidence never passes', () => {
  it('a broken metric (its scores outside its bounds) exits 1 naming it, as the matchers fail', async () => {
    const { code, stdout } = await evalgate(['compare', files.base!, files.percent!], 60_000);
    expect(stdout).toContain(
      "evalgate: CANNOT PASS on 1 metric(s):\n  f1: metric `f1` is broken: the candidate's 200 of 200 scores outside its bounds",
    );
    expect(code).toBe(1);
  });

  // worse.json loses 30 of 200 answers: exact_match -0.15, holm-adjusted p = 3.7e-9, f1 -0.06 (both on [0, 1]).
  it.each([
    [
      ['--margin', 'exact_match=1', '--metric', 'exact_match'],
      '--margin exact_match=1 is 1 on metric "exact_match"',
    ],
    [['--margin', '150%'], '--margin 150% is 1.5 on metric "exact_match"'],
    [['--margin', '1', '--metric', 'f1'], '--margin 1 is 1 on metric "f1"'],
    [['--margin', 'exact_match=0.1', '--margin', 'f1=2'], '--margin f1=2 is 2 on metric "f1"'],
  ])(
    "a margin as wide as the metric's range (%j), which any candidate passes, is refused",
    async (flags, message) => {
      const { code, stderr } = await evalgate(['compare', files.base!, files.worse!, ...flags], 60_000);
      expect(stderr).toContain(
        `evalgate: ${message}, at least its whole range [0, 1]: any candidate would pass.`,
      );
      expect(code).toBe(2);
    },
  );

  it('a rerun with the same scores is non-inferior at margin 0, as compare() says (never worse than itself)', async () => {
    const library = compare(baselineRun(), baselineRun(), { margin: 0 });
    expect(library.metrics.exact_match!.nonInferior).toBe(true);
    expect(library.metrics.f1!.nonInferior).toBe(true);
    const { code, stdout } = await evalgate(['compare', files.base!, files.again!, '--margin', '0'], 60_000);
    expect(stdout).toMatch(/\nexact_match .* yes\n/);
    expect(stdout).not.toContain('NOT SHOWN NON-INFERIOR');
    expect(stdout.trimEnd().endsWith('evalgate: no regression on 2 metric(s) (margin 0)')).toBe(true);
    expect(code).toBe(0);
    const markdown = await evalgate(
      ['compare', files.base!, files.again!, '--margin', '0', '--format', 'markdown'],
      60_000,
    );
    expect(markdown.stdout).toMatch(/\| exact_match \|.*\| yes \(0\) \|\n/);
    expect(markdown.code).toBe(0);
    const out = join(dir, 'again.html');
    const report = await evalgate(
      ['report', files.again!, '--baseline', files.base!, '--margin', '0', '-o', out],
      60_000,
    );
    expect(report.code).toBe(0);
    const html = await readFile(out, 'utf8');
    expect(html).not.toContain('<strong class="bad">yes');
    expect(html).not.toContain('not shown');
  });
});
