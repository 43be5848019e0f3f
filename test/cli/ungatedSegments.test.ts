/**
 * `evalgate compare` without `--segments` gates on the metrics only, as documented; a segment x metric cell that
 * regressed is then said to be ungated next to the summary, not left under "no regression".
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate, saveResult } from '../../src/index.js';
import { exactMatch } from '../../src/metrics/index.js';
import { evalgate } from './_runCli.js';

/** 400 rows in segments "a" and "b"; the candidate loses 40 answers of "a" and gains 40 in "b" (overall +0). */
async function runs(dir: string): Promise<{ base: string; cand: string }> {
  const dataset = Array.from({ length: 400 }, (_, i) => ({
    id: `e${i}`,
    input: i,
    reference: 'y',
    metadata: { segment: i < 200 ? 'a' : 'b' },
  }));
  const run = (right: (i: number) => boolean) =>
    evaluate(dataset, async (x) => (right(x as number) ? 'y' : 'n'), [exactMatch()], {
      segmentBy: (e) => (e.metadata as { segment: string }).segment,
      progress: false,
      resamples: 200,
    });
  const base = join(dir, 'base.json');
  const cand = join(dir, 'cand.json');
  await saveResult(await run((i) => i % 2 === 0), base);
  await saveResult(await run((i) => (i < 200 ? i % 2 === 0 && i >= 80 : i % 2 === 0 || i < 280)), cand);
  return { base, cand };
}

let files: { base: string; cand: string };
beforeAll(async () => {
  files = await runs(await mkdtemp(join(tmpdir(), 'evalgate-cli-segments-')));
});

describe('evalgate compare: a regressed segment without --segments', () => {
  it('exits 0 (segments are not gated) and says which cell regressed and how to gate it', async () => {
    const { code, stdout } = await evalgate(['compare', files.base, files.cand], 60_000);
    expect(code).toBe(0);
    expect(stdout).toContain(
      'evalgate: 1 segment x metric cell(s) regressed, not gated (pass --segments to fail on them): segment "a" exact_match\n',
    );
    expect(stdout.trimEnd().endsWith('evalgate: no regression on 1 metric(s)')).toBe(true);
    const gated = await evalgate(['compare', files.base, files.cand, '--segments'], 60_000);
    expect(gated.code).toBe(1);
    expect(gated.stdout).not.toContain('not gated');
  });
});
