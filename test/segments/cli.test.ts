import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { saveResult } from '../../src/result/saveResult.js';
import { baselineRun, writeRun } from '../cli/_resultFiles.js';
import { evalgate as run } from '../cli/_runCli.js';
import { runOf } from './_segmentRuns.js';

const root = join(import.meta.dirname, '../..');
const _TSX = join(root, 'node_modules/tsx/dist/cli.mjs');
const _CLI = join(root, 'src/cli.ts');

function evalgate(...args: string[]) {
  return run(args, 60_000);
}

const files: Record<string, string> = {};
beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'evalgate-cli-seg-'));
  const [baseline, candidate] = await Promise.all([runOf('baseline'), runOf('candidate')]);
  files.base = join(dir, 'base.json');
  files.cand = join(dir, 'cand.json');
  await saveResult(baseline, files.base);
  await saveResult(candidate, files.cand);
  files.plain = await writeRun(dir, 'plain', baselineRun());
}, 60_000);

// Each case spawns the CLI (tsx start-up included) up to three times: bounded generously for a loaded machine.
describe('evalgate compare --segments', { timeout: 120_000 }, () => {
  it('prints the per-segment table, regressed segment first, and exits 1 naming it', async () => {
    const { code, stdout } = await evalgate(
      'compare',
      files.base!,
      files.cand!,
      '--segments',
      '--alpha',
      '0.001',
    );
    expect(code).toBe(1);
    const lines = stdout.split('\n');
    const header = lines.findIndex((l) => l.startsWith('segment '));
    expect(lines[header]).toMatch(
      /^segment\s+metric\s+baseline\s+candidate\s+difference\s+95% CI\s+n\s+test\s+p\s+p \(holm\)\s+verdict$/,
    );
    expect(lines[header + 2]).toMatch(
      /^billing\s+exact_match\s+0\.7533\s+0\.5533\s+-0\.2\s+\[.*\]\s+150\s+mcnemar\s.*REGRESSED$/,
    );
    expect(lines[header + 3]).toMatch(/^billing\s+quality\s.*REGRESSED$/);
    expect(lines.filter((l) => l.endsWith('REGRESSED'))).toHaveLength(2);
    // The whole run is worse too (-5 points), so both kinds of regression are reported.
    expect(stdout).toContain(
      'evalgate: REGRESSION on 2 segment x metric cell(s):\n  segment "billing" exact_match: difference -0.2, holm-adjusted p=1.5e-8 < 0.001\n  segment "billing" quality: difference -0.1, holm-adjusted p=6e-8 < 0.001',
    );
    for (const other of ['shipping', 'returns', 'account'])
      expect(stdout).not.toMatch(new RegExp(`segment "${other}"`));
  });

  it('flags segments only with --segments, and only past the margin', async () => {
    const [plain, gated, wide] = await Promise.all([
      evalgate('compare', files.base!, files.cand!, '--margin', '0.1'),
      evalgate('compare', files.base!, files.cand!, '--margin', '0.1', '--segments'),
      evalgate('compare', files.base!, files.cand!, '--margin', '0.25', '--segments'),
    ]);
    expect(plain.code).toBe(0); // the whole run's CI lower bound stays above -0.1
    expect(plain.stdout).toMatch(/\nbilling\s+exact_match\s.*REGRESSED\n/); // the table is shown anyway
    expect(gated.code).toBe(1);
    expect(gated.stdout).toContain(
      'REGRESSION on 1 segment x metric cell(s):\n  segment "billing" exact_match',
    );
    expect(wide.code).toBe(0);
    expect(
      wide.stdout.trimEnd().endsWith('evalgate: no regression on 2 metric(s) and 4 segment(s) (margin 0.25)'),
    ).toBe(true);
  });

  it('writes the Markdown summary with --format markdown, the verdict on stderr', async () => {
    const { code, stdout, stderr } = await evalgate(
      'compare',
      files.base!,
      files.cand!,
      '--segments',
      '--format',
      'markdown',
    );
    expect(code).toBe(1);
    expect(stdout.startsWith('## evalgate compare\n\n### Estimates\n')).toBe(true);
    expect(stdout).toContain('| candidate vs baseline | billing | exact_match | 0.7533 | 0.5533 | -0.2 |');
    expect(stderr).toContain('evalgate: REGRESSION on 2 segment x metric cell(s)');
  });

  it('refuses bad formats and --segments without segments, with exit code 2', async () => {
    const [html, both, plain] = await Promise.all([
      evalgate('compare', files.base!, files.cand!, '--format', 'html'),
      evalgate('compare', files.base!, files.cand!, '--json', '--format', 'markdown'),
      evalgate('compare', files.plain!, files.plain!, '--segments'),
    ]);
    expect([html.code, both.code, plain.code]).toEqual([2, 2, 2]);
    expect(html.stderr).toContain('--format must be text, json or markdown, got "html"');
    expect(both.stderr).toContain('--json and --format markdown ask for two formats: pass one');
    expect(plain.stderr).toContain('--segments needs results evaluated with segmentBy');
  });
});
