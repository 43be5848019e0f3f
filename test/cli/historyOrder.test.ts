/**
 * `evalgate report --history` draws the runs in the order they started, by the instant `run.startedAt` names
 * (a time with an offset is not ordered by its text), and refuses a start time that is not a date.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EvalResult } from '../../src/result/EvalResult.js';
import { baselineRun, betterRun, worseRun, writeRun } from './_resultFiles.js';
import { evalgate } from './_runCli.js';

const startedAt = (r: EvalResult, at: string): EvalResult => ({ ...r, run: { ...r.run, startedAt: at } });
/** The run labels of a history report, left to right. */
const runLabels = (html: string) =>
  [...html.matchAll(/class="run-label"[^>]*><title>([^<]*)<\/title>/g)].map((m) => m[1]);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evalgate-cli-history-'));
});

describe('evalgate report --history order', () => {
  it('orders by instant: 03:00+05:00 (22:00 UTC the day before) comes before 01:00Z', async () => {
    const first = await writeRun(dir, 'first', startedAt(worseRun(), '2026-01-01T03:00:00.000+05:00'));
    const second = await writeRun(dir, 'second', startedAt(baselineRun(), '2026-01-01T01:00:00.000Z'));
    const third = await writeRun(dir, 'third', startedAt(betterRun(), '2026-01-01T02:30:00.000+01:00'));
    const out = join(dir, 'history.html');
    const { code } = await evalgate(['report', '--history', second, third, first, '-o', out], 60_000);
    expect(code).toBe(0);
    expect(runLabels(await readFile(out, 'utf8'))).toEqual([
      'first',
      'second',
      'third',
      'first',
      'second',
      'third',
    ]); // a panel per metric
  });

  it('refuses a start time that is not a date, naming the file', async () => {
    const ok = await writeRun(dir, 'ok', baselineRun());
    const bad = await writeRun(dir, 'bad', startedAt(worseRun(), 'last Tuesday'));
    const { code, stderr } = await evalgate(
      ['report', '--history', ok, bad, '-o', join(dir, 'bad.html')],
      60_000,
    );
    expect(stderr).toContain(
      `evalgate: ${bad}: run.startedAt "last Tuesday" is not a date: report --history orders the runs by when they started`,
    );
    expect(code).toBe(2);
  });
});
