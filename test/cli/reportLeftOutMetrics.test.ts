/**
 * `evalgate report --baseline` names every metric the comparison left out, on stderr, as `evalgate compare` does:
 * the page draws such a metric without a difference, and a CI log that says nothing reads as a comparison of all.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { baselineRun, slightlyWorseRun, withoutMetric, writeRun } from './_resultFiles.js';
import { evalgate } from './_runCli.js';

const slow = 120_000;
let dir: string;
let files: Record<'base' | 'cand' | 'baseNoF1' | 'candNoF1', string>;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evalgate-cli-report-left-out-'));
  files = {
    base: await writeRun(dir, 'base', baselineRun()),
    cand: await writeRun(dir, 'cand', slightlyWorseRun()),
    baseNoF1: await writeRun(dir, 'base-no-f1', withoutMetric(baselineRun(), 'f1')),
    candNoF1: await writeRun(dir, 'cand-no-f1', withoutMetric(slightlyWorseRun(), 'f1')),
  };
});

describe('evalgate report --baseline: metrics not compared are named', () => {
  it.each([
    ['the candidate no longer scores', 'base', 'candNoF1', 'f1 (the candidate has no scores for it)'],
    ['new in the candidate', 'baseNoF1', 'cand', 'f1 (the baseline has no scores for it)'],
  ] as const)(
    'a metric %s',
    async (_, b, c, why) => {
      const out = join(dir, `${b}-${c}.html`);
      const { code, stdout, stderr } = await evalgate(
        ['report', files[c], '--baseline', files[b], '-o', out],
        slow,
      );
      expect(stderr).toBe(`evalgate: not compared: ${why}\n`);
      expect(stdout).toContain(`evalgate: wrote ${out}`);
      expect(await readFile(out, 'utf8')).toContain('<table class="summary"');
      expect(code).toBe(0);
    },
    slow,
  );

  it(
    'says nothing when every metric is compared',
    async () => {
      const { code, stderr } = await evalgate(
        ['report', files.cand, '--baseline', files.base, '-o', join(dir, 'all.html')],
        slow,
      );
      expect(stderr).toBe('');
      expect(code).toBe(0);
    },
    slow,
  );
});
