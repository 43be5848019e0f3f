import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { VERSION } from '../../src/version.js';
import { baselineRun, betterRun, slightlyWorseRun, worseRun, writeRun } from './_resultFiles.js';
import { evalgate as run } from './_runCli.js';

const root = join(import.meta.dirname, '../..');
// `npx tsx src/cli.ts` without npm's start-up cost: the same tsx binary, run by this node.
const TSX = join(root, 'node_modules/tsx/dist/cli.mjs');
const CLI = join(root, 'src/cli.ts');

function evalgate(...args: string[]) {
  return run(args);
}

let dir: string;
const files: Record<string, string> = {};
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evalgate-cli-'));
  files.base = await writeRun(dir, 'base', baselineRun());
  files.better = await writeRun(dir, 'better', betterRun());
  files.worse = await writeRun(dir, 'worse', worseRun());
  files.slight = await writeRun(dir, 'slight', slightlyWorseRun());
  files.broken = join(dir, 'broken.json');
  await writeFile(files.broken, JSON.stringify({ schemaVersion: 1, run: {} }));
});

describe('evalgate compare', () => {
  it('exits 0 and prints the table when the candidate is better', async () => {
    const { code, stdout } = await evalgate('compare', files.base!, files.better!);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^metric\s+baseline\s+candidate\s+difference\s+95% CI\s+n\s+test\s+p\s+p \(holm\)\s+d_z/,
    );
    expect(stdout).toMatch(
      /\nexact_match\s+0\.7\s+0\.85\s+\+0\.15\s+\[[\d.]+, [\d.]+\]\s+200\s+mcnemar \(exact\)\s.*better\n/,
    );
    expect(stdout).toContain('200 paired rows');
    expect(stdout.trimEnd().endsWith('evalgate: no regression on 2 metric(s)')).toBe(true);
  });

  it('exits 1 and names each metric when the candidate is significantly worse', async () => {
    const { code, stdout } = await evalgate('compare', files.base!, files.worse!);
    expect(code).toBe(1);
    expect(stdout).toContain(
      'evalgate: REGRESSION on 2 metric(s):\n  exact_match: significantly worse (difference -0.15, holm-adjusted p=',
    );
    expect(stdout).toContain('\n  f1: significantly worse (difference -0.06, holm-adjusted p=');
  });

  it('without a margin, a small insignificant loss is not a regression; with a margin it is not shown non-inferior', async () => {
    expect((await evalgate('compare', files.base!, files.slight!)).code).toBe(0);
    const tight = await evalgate(
      'compare',
      files.base!,
      files.slight!,
      '--margin',
      '0.005',
      '--metric',
      'exact_match',
    );
    expect(tight.code).toBe(1);
    expect(tight.stdout).toMatch(
      /NOT SHOWN NON-INFERIOR on 1 metric\(s\):\n {2}exact_match: not shown non-inferior: CI lower bound of the difference -0\.0\d+ is not above -margin -0\.005 \(difference -0\.01, holm-adjusted p=[\d.]+: not a significant loss either; more rows narrow the interval\)\n$/,
    );
    expect(tight.stdout).not.toContain('REGRESSION');
    const loose = await evalgate('compare', files.base!, files.slight!, '--margin', '0.1');
    expect(loose.code).toBe(0);
    expect(loose.stdout).toMatch(/non-inferior \(margin 0\.1\)/);
    expect(loose.stdout.trimEnd().endsWith('evalgate: no regression on 2 metric(s) (margin 0.1)')).toBe(true);
  });

  it('--metric restricts the comparison and --json prints the comparison document', async () => {
    const { code, stdout, stderr } = await evalgate(
      'compare',
      files.base!,
      files.worse!,
      '--metric',
      'f1',
      '--json',
    );
    expect(code).toBe(1);
    const cmp = JSON.parse(stdout);
    expect(cmp.kind).toBe('evalgate-comparison');
    expect(Object.keys(cmp.metrics)).toEqual(['f1']);
    expect(cmp.metrics.f1.test).toBe('paired-t');
    expect(stderr).toContain('evalgate: REGRESSION on 1 metric(s):\n  f1: significantly worse');
  });

  it('--alpha changes the significance level', async () => {
    const { stdout } = await evalgate('compare', files.base!, files.better!, '--alpha', '0.01');
    expect(stdout).toContain('verdict (α=0.01)');
  });

  it.each([
    [
      ['compare', 'only-one.json'],
      'evalgate: compare needs a baseline and a candidate result file, got 1 file(s)',
    ],
    [
      ['compare', 'a.json', 'b.json', '--margin', 'abc'],
      'evalgate: --margin must be a number >= 0, a percentage of each metric\'s range (2%), or <metric>=<margin>, got "abc"',
    ],
    [
      ['compare', 'a.json', 'b.json', '--margin=-0.02'],
      'evalgate: --margin must be a number >= 0, a percentage of each metric\'s range (2%), or <metric>=<margin>, got "-0.02"',
    ],
    [
      ['compare', 'a.json', 'b.json', '--alpha', '1.5'],
      'evalgate: --alpha must be a number in (0, 1), got "1.5"',
    ],
    [['compare', 'a.json', 'b.json', '--bogus'], "evalgate: Unknown option '--bogus'"],
    [['report', 'a.json'], 'evalgate: report needs an output file: -o report.html'],
    [['mock-server', '--port', '70000'], 'evalgate: --port must be a number in [0, 65535], got "70000"'],
    [['frobnicate'], 'evalgate: unknown command "frobnicate"'],
    [[], 'evalgate: missing command'],
  ])('exits 2 on the usage error %j', async (args, message) => {
    const { code, stderr } = await evalgate(...args);
    expect(code).toBe(2);
    expect(stderr.startsWith(message)).toBe(true);
    expect(stderr).toContain('Run `evalgate --help` for usage.');
  });

  it('exits 2 with the reason when a file is missing, invalid, or lacks the metric', async () => {
    const missing = await evalgate('compare', join(dir, 'nope.json'), files.base!);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^evalgate: ENOENT: no such file or directory/);
    const broken = await evalgate('compare', files.base!, files.broken!);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toBe(
      `evalgate: ${files.broken} is not a valid evalgate result: expected \`run.startedAt\` to be a string, got nothing\n`,
    );
    const metric = await evalgate('compare', files.base!, files.better!, '--metric', 'bleu');
    expect(metric.code).toBe(2);
    expect(metric.stderr).toMatch(/^evalgate: .*bleu/);
  });
});

describe('evalgate report', () => {
  it('writes a self-contained HTML report with the comparison and prints the result table', async () => {
    const out = join(dir, 'out/report.html');
    const { code, stdout } = await evalgate(
      'report',
      files.slight!,
      '--baseline',
      files.base!,
      '--margin',
      '0.02',
      '-o',
      out,
      '--title',
      'QA <nightly>',
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/^metric\s+estimate\s+95% CI\s+n\s+missing\s+method\n/);
    expect(stdout.trimEnd().endsWith(`evalgate: wrote ${out}`)).toBe(true);
    const html = await readFile(out, 'utf8');
    expect(html).toContain('<title>QA &lt;nightly&gt;</title>');
    expect(html).toContain('id="comparison"');
    expect(html).toContain('class="margin-line"');
    expect(html.split('<td class="id">').length - 1).toBe(200);
  });

  it('writes a report without a baseline', async () => {
    const out = join(dir, 'plain.html');
    expect((await evalgate('report', files.base!, '-o', out)).code).toBe(0);
    expect(await readFile(out, 'utf8')).not.toContain('id="comparison"');
  });
});

describe('evalgate mock-server', () => {
  it('prints its URL, answers requests, and stops cleanly on SIGTERM', async () => {
    const child: ChildProcess = spawn(process.execPath, [TSX, CLI, 'mock-server', '--port', '0'], {
      cwd: root,
    });
    let stdout = '';
    child.stdout!.on('data', (chunk) => {
      stdout += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed; stdout so far: ${stdout}`)), 20_000);
      child.stdout!.on('data', () => {
        const match = /listening at (http:\/\/\S+)/.exec(stdout);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
    });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
    const models = await fetch(`${url.replace(/\/$/, '')}/models`);
    expect(models.status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stdout).toContain('evalgate mock server stopped (SIGTERM)');
  });
});

describe('evalgate', () => {
  it('prints its version and its usage', async () => {
    expect(await evalgate('--version')).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
    const help = await evalgate('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('evalgate compare <baseline.json> <candidate.json>');
    expect(help.stdout).toContain(
      'Exit codes: 0 success, 1 regression (compare), 2 usage or input error, 3 a worker gave up on Redis.',
    );
  });

  it('starts with a node shebang so the built dist/cli.js runs as a bin', async () => {
    expect((await readFile(CLI, 'utf8')).startsWith('#!/usr/bin/env node\n')).toBe(true);
  });
});
