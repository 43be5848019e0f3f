import { access, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { baselineRun, slightlyWorseRun, writeRun } from './_resultFiles.js';
import { evalgate as run } from './_runCli.js';

const root = join(import.meta.dirname, '../..');
const _TSX = join(root, 'node_modules/tsx/dist/cli.mjs');
const _CLI = join(root, 'src/cli.ts');

function evalgate(...args: string[]) {
  return run(args, 30_000);
}

let dir: string;
let base: string;
let cand: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evalgate-cli-report-'));
  base = await writeRun(dir, 'base', baselineRun());
  cand = await writeRun(dir, 'cand', slightlyWorseRun());
});

describe('evalgate report flags', () => {
  it('--label names the runs and --gate explains a failing bar', async () => {
    const out = join(dir, 'labelled.html');
    const { code } = await evalgate(
      'report',
      cand,
      '--baseline',
      base,
      '--label',
      'prompt <v2>',
      '--baseline-label',
      'prompt v1',
      '--gate',
      'exact_match=0.9',
      '-o',
      out,
    );
    expect(code).toBe(0);
    const html = await readFile(out, 'utf8');
    expect(html).toContain('<title>evalgate report: prompt v1 → prompt &lt;v2&gt;</title>');
    expect(html).toMatch(/<li class="gate-line" data-kind="below-bar">exact_match: below the bar 0\.9 /);
  });

  it.each([
    [
      ['report', 'a.json', '-o', 'x.html', '--gate', 'exact_match'],
      '--gate must be <metric>=<number>, got "exact_match"',
    ],
    [
      ['report', 'a.json', '-o', 'x.html', '--gate', 'em=high'],
      '--gate must be <metric>=<number>, got "em=high"',
    ],
    [['report', '--history', '-o', 'x.html'], 'report --history needs at least one result file'],
    [['report', '--history', 'a.json'], 'report --history needs an output file: -o history.html'],
  ])('%j exits 2: %s', async (args, message) => {
    const { code, stderr } = await evalgate(...args);
    expect(code).toBe(2);
    expect(stderr).toContain(`evalgate: ${message}`);
  });
});

describe('evalgate report: flags of the comparison without --baseline', () => {
  it.each([
    [['--margin', '0.02'], 'margin'],
    [['--margin', 'exact_match=0.02'], 'margin'],
    [['--alpha', '0.01'], 'alpha'],
    [['--baseline-label', 'prompt v1'], 'baseline-label'],
  ])('%j is refused (exit 2), not ignored, and writes no report', async (flags, name) => {
    const out = join(dir, `no-baseline-${name}.html`);
    const { code, stdout, stderr } = await evalgate('report', cand, '-o', out, ...flags);
    expect(stderr).toContain(
      `evalgate: --${name} needs --baseline: it applies to the comparison with a baseline, which a report without one does not make`,
    );
    expect(stdout).toBe('');
    await expect(access(out)).rejects.toThrow(/ENOENT/);
    expect(code).toBe(2);
  });
});
