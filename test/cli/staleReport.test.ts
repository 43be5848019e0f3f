/**
 * `evalgate report -o FILE` that exits 2 writes no report; an older evalgate report at FILE, from a previous run,
 * must not stay there to pass for this run's (a CI step with `if: always()` uploads whatever FILE holds).
 *
 * Regression: every refusal below left last run's FILE in place. Now an evalgate report there is removed and stderr
 * says so; a file evalgate did not write is left as it was, and so is the input the report would have overwritten.
 */

import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { baselineRun, slightlyWorseRun, withoutMetric, writeRun } from './_resultFiles.js';
import { evalgate } from './_runCli.js';

const slow = 120_000;
let dir: string;
let base: string;
let cand: string;
let noShared: string;
let fresh: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evalgate-cli-stale-'));
  base = await writeRun(dir, 'base', baselineRun());
  cand = await writeRun(dir, 'cand', slightlyWorseRun());
  noShared = await writeRun(dir, 'f1-only', withoutMetric(baselineRun(), 'exact_match'));
  await writeFile(join(dir, 'em-only.json'), JSON.stringify(withoutMetric(slightlyWorseRun(), 'f1')));
  fresh = join(dir, 'fresh.html');
  const made = await evalgate(['report', cand, '--baseline', base, '-o', fresh], slow);
  expect(made.code).toBe(0);
}, slow);

describe('evalgate report that exits 2 leaves no older report at -o', () => {
  it.each([
    ['a flag that needs --baseline', (o: string) => ['report', cand, '--alpha', '0.1', '-o', o]],
    ['an unknown flag', (o: string) => ['report', cand, '--titel', 'x', '-o', o]],
    ['a bad number', (o: string) => ['report', cand, '--max-examples', '-1', '-o', o]],
    ['a result file that does not exist', (o: string) => ['report', join(dir, 'nope.json'), '-o', o]],
    [
      'a baseline that cannot be compared',
      (o: string) => ['report', join(dir, 'em-only.json'), '--baseline', noShared, '-o', o],
    ],
    ['a history run that is not a result', (o: string) => ['report', '--history', base, fresh, '-o', o]],
  ])(
    '%s: the older report is removed and stderr says so',
    async (_what, args) => {
      const out = join(dir, `${_what}.html`);
      await copyFile(fresh, out);
      const { code, stderr } = await evalgate(args(out), slow);
      expect(code).toBe(2);
      expect(existsSync(out)).toBe(false);
      expect(stderr).toContain(
        `evalgate: removed the older report ${out}: this run wrote none, and the old one must not pass for it\n`,
      );
      expect(stderr).not.toMatch(/\n\s+at /);
    },
    slow,
  );

  it(
    'a file evalgate did not write is left as it was, with no word about it',
    async () => {
      const out = join(dir, 'notes.html');
      await writeFile(out, '<!doctype html><p>my notes</p>\n');
      const { code, stderr } = await evalgate(['report', cand, '--alpha', '0.1', '-o', out], slow);
      expect(code).toBe(2);
      expect(await readFile(out, 'utf8')).toBe('<!doctype html><p>my notes</p>\n');
      expect(stderr).not.toContain('removed');
    },
    slow,
  );

  it(
    'the input given as -o is left as it was (a bad flag refused first)',
    async () => {
      const before = await readFile(cand, 'utf8');
      const { code } = await evalgate(['report', cand, '--alpha', '2', '-o', cand], slow);
      expect(code).toBe(2);
      expect(await readFile(cand, 'utf8')).toBe(before);
    },
    slow,
  );

  it(
    'a report that is written replaces the older one (exit 0, nothing removed)',
    async () => {
      const out = join(dir, 'again.html');
      await copyFile(fresh, out);
      const { code, stderr } = await evalgate(['report', cand, '-o', out], slow);
      expect(code).toBe(0);
      expect(existsSync(out)).toBe(true);
      expect(stderr).not.toContain('removed');
    },
    slow,
  );
});
