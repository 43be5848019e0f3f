/**
 * `evalgate compare` as a CI gate on a candidate that failed rows its baseline answered: compare() drops such rows,
 * so a candidate crashing on 4 of 100 rows the baseline got right compared equal on the other 96 and the command
 * said "no regression", exit 0. It now exits 1 naming the count, unless --allow-candidate-failures; failures in the
 * baseline only do not gate.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate, saveResult } from '../../src/index.js';
import { exactMatch } from '../../src/metrics/index.js';
import { evalgate } from './_runCli.js';

let files: { base: string; cand: string };
beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'evalgate-cli-candidate-failures-'));
  const dataset = Array.from({ length: 100 }, (_, i) => ({ id: `e${i}`, input: i, reference: 'y' }));
  const opts = { progress: false, resamples: 200 } as const;
  files = { base: join(dir, 'base.json'), cand: join(dir, 'cand.json') };
  await saveResult(await evaluate(dataset, async () => 'y', [exactMatch()], opts), files.base);
  const crashing = async (x: unknown) => {
    if ((x as number) < 4) throw new Error('the candidate pipeline crashed on this input');
    return 'y';
  };
  await saveResult(await evaluate(dataset, crashing, [exactMatch()], opts), files.cand);
}, 60_000);

const said =
  'evalgate: CANDIDATE FAILED ROWS: 4 of 100 paired row(s) failed in the candidate and were answered by the baseline';

describe('evalgate compare: a candidate that failed rows its baseline answered', () => {
  it('exits 1 and says how many, with or without a margin', async () => {
    for (const extra of [[], ['--margin', '0.02']]) {
      const out = await evalgate(['compare', files.base, files.cand, ...extra]);
      expect(out.code).toBe(1);
      expect(out.stdout).toContain(said);
      expect(out.stdout).not.toContain('no regression');
    }
  });

  it('exits 0 with --allow-candidate-failures, judging the rows both runs answered', async () => {
    const out = await evalgate([
      'compare',
      files.base,
      files.cand,
      '--margin',
      '0.02',
      '--allow-candidate-failures',
    ]);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('evalgate: no regression on 1 metric(s) (margin 0.02)');
  });

  it('says why the margin is not shown: the failed rows, not the interval', async () => {
    for (const margin of ['0.02', '0']) {
      // At margin 0 too: the 96 rows both answered are identical ([0, 0]), which clears any margin.
      const out = await evalgate(['compare', files.base, files.cand, '--margin', margin]);
      expect(out.stdout).toContain(said);
      expect(out.stdout).not.toContain('NOT SHOWN NON-INFERIOR');
    }
  });

  it('does not gate on failures in the baseline only', async () => {
    const out = await evalgate(['compare', files.cand, files.base, '--margin', '0.02']);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('4 failed in the baseline only');
  });
});
