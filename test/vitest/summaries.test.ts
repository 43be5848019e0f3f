/**
 * What a real vitest run prints (issue 18, items 6 and 7): the fixture suite in fixtures/summaries-suite runs in
 * child vitest processes with evalgate's reporter. The reporter's table and the Markdown step summary show a
 * gated run's decision instead of its bootstrap interval, and the judges' measured biases; the footer counts
 * the requests of the runs a compare-only test made; progress lines of a slow run show in vitest's stderr,
 * and neither `progress: false` nor `vitest --silent` lets them through.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatGateCell, formatInterval, formatJudgeBias } from '../../src/report/format.js';
import type { EvalgateSummary } from '../../src/vitest/reporter.js';

const root = join(import.meta.dirname, '../..');

interface ChildRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly summary?: EvalgateSummary;
  readonly stepSummary: string;
}

/** Runs the fixture suite (the files matching `filters`) in a child vitest, every wait bounded. */
function runSuite(filters: readonly string[], extraArgs: readonly string[] = []): Promise<ChildRun> {
  const dir = mkdtempSync(join(tmpdir(), 'evalgate-summaries-'));
  const summaryFile = join(dir, 'summary.json');
  const stepFile = join(dir, 'step-summary.md');
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        join(root, 'node_modules/vitest/vitest.mjs'),
        'run',
        '--config',
        'test/vitest/fixtures/summaries-suite/vitest.config.ts',
        ...extraArgs,
        ...filters,
      ],
      {
        cwd: root,
        env: {
          ...process.env,
          EVALGATE_SUMMARY_FILE: summaryFile,
          GITHUB_STEP_SUMMARY: stepFile,
          NO_COLOR: '1',
          CI: '1',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const timer = setTimeout(() => child.kill('SIGKILL'), 150_000);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const read = (f: string) => {
        try {
          return readFileSync(f, 'utf8');
        } catch {
          return undefined;
        }
      };
      const json = read(summaryFile);
      resolve({
        code,
        stdout,
        stderr,
        ...(json === undefined ? {} : { summary: JSON.parse(json) as EvalgateSummary }),
        stepSummary: read(stepFile) ?? '',
      });
    });
  });
}

const md = (s: string) => s.replace(/[[\]]/g, (c) => `\\${c}`);
const PROGRESS = /^evalgate: (\d+)\/(\d+) rows \((\d+)%\), (\d+) failed, cost \$[\d.e-]+, [\d.]+ s$/;

describe('a vitest run with the evalgate reporter', () => {
  let main: ChildRun;
  let spend: ChildRun;
  let silent: ChildRun;
  beforeAll(async () => {
    // Three child runs at once: gated + judged + progress; the compare-only test alone (its footer is its own);
    // the progress suite under --silent.
    [main, spend, silent] = await Promise.all([
      runSuite(['gated', 'judged', 'progress']),
      runSuite(['spend']),
      runSuite(['progress'], ['--silent=true']),
    ]);
  }, 200_000);

  it('every child run passed', () => {
    expect(main.code, main.stderr).toBe(0);
    expect(spend.code, spend.stderr).toBe(0);
    expect(silent.code, silent.stderr).toBe(0);
  });

  it('the gated run shows the gate decision in the table and the Markdown, never its bootstrap interval', () => {
    const entry = main.summary!.evals.find((e) => e.name === 'gated run')!;
    if (entry.kind !== 'result' || entry.gate === undefined) throw new Error('expected a gated result');
    expect(entry.gate.decision).toBe('pass');
    const cell = formatGateCell(entry.gate);
    const bootstrap = formatInterval(entry.metrics.exact_match!.ci);
    const line = main.stdout.split('\n').find((l) => l.startsWith('gated run '))!;
    expect(line).toMatch(
      new RegExp(
        `^gated run\\s+exact_match\\s+[\\d.]+\\s+${cell.replace(/[[\].·]/g, '\\$&')}\\s+${entry.n}\\s+0/${entry.n}\\s`,
      ),
    );
    expect(main.stdout).not.toContain(bootstrap);
    const mdLine = main.stepSummary.split('\n').find((l) => l.startsWith('| gated run |'))!;
    expect(mdLine).toContain(`| ${md(cell)} |`);
    expect(main.stepSummary).not.toContain(md(bootstrap));
    expect(main.stepSummary).not.toContain(bootstrap);
  });

  it('the judged run shows each judge’s measured bias in the printed table and in the Markdown', () => {
    const entry = main.summary!.evals.find((e) => e.name === 'judged run')!;
    if (entry.kind !== 'result') throw new Error('expected a result');
    const llm = entry.metrics.llm_judge!.judge!;
    const pairwise = entry.metrics.pairwise!.judge!;
    expect([llm.judgeModel, llm.selfJudging]).toEqual(['same-model', true]);
    expect(pairwise.positionConsistency).toEqual({ rate: 0, n: 30, firstPositionRate: 1 });
    expect(main.stdout).toContain(`judge bias, judged run / llm_judge: ${formatJudgeBias(llm)}`);
    expect(main.stdout).toContain(`judge bias, judged run / pairwise: ${formatJudgeBias(pairwise)}`);
    expect(formatJudgeBias(llm)).toMatch(
      /^judge same-model \(judges its own model: self-preference risk\) · length r=/,
    );
    expect(main.stepSummary).toContain('### Judge bias');
    expect(main.stepSummary).toContain(`| judged run | llm_judge | ${md(formatJudgeBias(llm))} |`);
    expect(main.stepSummary).toContain(`| judged run | pairwise | ${md(formatJudgeBias(pairwise))} |`);
    expect(main.stdout + main.stepSummary).not.toMatch(/NaN/);
  });

  it('the footer of a compare-only test counts the requests of both its runs (7 + 7), not 0', () => {
    expect(spend.summary!.evals.map((e) => e.kind)).toEqual(['comparison']);
    expect(spend.summary!.totals).toMatchObject({ results: 0, comparisons: 1, requests: 14, failedRows: 0 });
    expect(spend.stdout).toMatch(/evalgate: 0 results, 1 comparison · 14 requests, 0 failed rows · cost /);
  });

  it('a slow run’s progress lines are in vitest’s stderr, under the test’s name, ending at 100%', () => {
    const lines = main.stderr.split('\n').filter((l) => l.startsWith('evalgate: '));
    expect(lines.length, main.stderr).toBeGreaterThanOrEqual(2);
    for (const l of lines) expect(l).toMatch(PROGRESS);
    // Only the 41-row run asked for progress; the 43-row run said `progress: false`.
    expect(lines.every((l) => PROGRESS.exec(l)![2] === '41')).toBe(true);
    expect(lines.at(-1)).toMatch(/^evalgate: 41\/41 rows \(100%\), 0 failed/);
    expect(main.stderr).toContain('progress.fixture.ts > a run with progress lines');
    const done = lines.map((l) => Number(PROGRESS.exec(l)![1]));
    expect(done).toEqual([...done].sort((a, b) => a - b));
  });

  it('progress: false and vitest --silent print no progress line', () => {
    expect(main.stderr).not.toMatch(/\/43 rows/);
    expect(silent.stderr + silent.stdout).not.toMatch(/evalgate: \d+\/\d+ rows/);
    // The silenced suite did run the slow evaluation (both tests passed).
    expect(silent.stdout).toMatch(/Tests\s+2 passed/);
  });
});
