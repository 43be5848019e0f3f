// Progress where there is no TTY (CI logs, vitest): plain lines on stderr every few seconds and at every 10%
// of the rows, with rows done/total, failed rows and cost; `progress: false` silences them; a TTY keeps the bar.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { _formatCost } from '../../src/_internal/formatNumber.js';
import { evaluate } from '../../src/index.js';
import { _lineProgress, _progressLine, type Progress } from '../../src/run/progressBar.js';
import { utilLinuxScript } from '../_system.js';

const root = join(import.meta.dirname, '../..');
const TSX = join(root, 'node_modules/tsx/dist/cli.mjs');

/** Runs the child with stderr as a pipe; resolves with its output and when each stderr line arrived. */
function runChild(progress: string, rows = 30, delayMs = 40) {
  return new Promise<{
    code: number | null;
    stdout: string;
    lines: { at: number; text: string }[];
    ms: number;
  }>((resolve, reject) => {
    const t0 = Date.now();
    const child = spawn(
      process.execPath,
      [TSX, join(import.meta.dirname, '_progressChild.ts'), progress, String(rows), String(delayMs)],
      {
        cwd: root,
        env: { ...process.env, CI: '', FORCE_COLOR: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    let stdout = '';
    let pending = '';
    const lines: { at: number; text: string }[] = [];
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      pending += d;
      const parts = pending.split('\n');
      pending = parts.pop()!;
      for (const text of parts) lines.push({ at: Date.now() - t0, text });
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, lines, ms: Date.now() - t0 });
    });
  });
}

const LINE = /^evalgate: (\d+)\/(\d+) rows \((\d+)%\), (\d+) failed, cost \$[\d.e-]+, [\d.]+ s$/;

describe('progress lines (stderr not a TTY)', () => {
  it('a slow run prints lines with rows done/total, failures and cost, at the pace asked, ending at 100%', async () => {
    const { code, stdout, lines, ms } = await runChild('{"intervalMs":250}', 40, 40);
    expect(code).toBe(0);
    expect(stdout).toBe('done 40\n');
    const progress = lines.filter((l) => l.text.startsWith('evalgate: '));
    // Every stderr line is a progress line: no carriage returns or escape codes in a log.
    expect(progress.map((l) => l.text)).toEqual(lines.map((l) => l.text));
    for (const l of progress) expect(l.text, l.text).toMatch(LINE);
    const done = progress.map((l) => Number(LINE.exec(l.text)![1]));
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(progress.at(-1)!.text).toMatch(
      /^evalgate: 40\/40 rows \(100%\), 0 failed, cost \$0\.04, [\d.]+ s$/,
    );
    // About one line per 250 ms of the run (plus 10% steps), never a burst: a loose window on a loaded machine.
    const runMs = ms;
    expect(progress.length, `${progress.length} lines in ${runMs} ms`).toBeGreaterThanOrEqual(3);
    expect(progress.length, `${progress.length} lines in ${runMs} ms`).toBeLessThanOrEqual(
      Math.ceil(runMs / 250) + 12,
    );
  }, 90_000);

  it('progress: false prints nothing; a run shorter than one interval prints nothing either', async () => {
    const silent = await runChild('false', 20, 20);
    expect(silent.code).toBe(0);
    expect(silent.lines).toEqual([]);
    const short = await runChild('default', 5, 1);
    expect(short.code).toBe(0);
    expect(short.lines).toEqual([]);
  }, 90_000);
});

const script = utilLinuxScript('the TTY progress suite runs its child on a pseudo-terminal');

describe.skipIf(script === undefined)('progress on a TTY', () => {
  it('keeps the redrawn bar (util-linux `script` gives the child a pseudo-terminal)', async () => {
    const cmd = `env CI= ${JSON.stringify(process.execPath)} ${JSON.stringify(TSX)} ${JSON.stringify(join(import.meta.dirname, '_progressChild.ts'))} default 20 30`;
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn(script as string, ['-qec', cmd, '/dev/null'], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      let text = '';
      child.stdout.on('data', (d) => (text += d));
      child.on('error', reject);
      child.on('close', () => {
        clearTimeout(timer);
        resolve(text);
      });
    });
    expect(out).toContain('\r\x1b[2Kevalgate [');
    expect(out).toContain('20/20 done, 0 failed');
    expect(out).not.toMatch(/evalgate: \d+\/\d+ rows/);
  }, 90_000);
});

describe('progress inside vitest', () => {
  it.each(['forks', 'threads'])(
    'the lines show in the output of a vitest run (pool %s)',
    async (pool) => {
      const out = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
        const child = spawn(
          process.execPath,
          [
            join(root, 'node_modules/vitest/vitest.mjs'),
            'run',
            '--config',
            'test/evaluate/fixtures/progress-suite/vitest.config.ts',
            `--pool=${pool}`,
          ],
          { cwd: root, env: { ...process.env, CI: '1', NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
        );
        const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
        let stderr = '';
        child.stderr.on('data', (d) => (stderr += d));
        child.stdout.resume();
        child.on('error', reject);
        child.on('close', (code) => {
          clearTimeout(timer);
          resolve({ code, stderr });
        });
      });
      expect(out.code).toBe(0);
      const lines = out.stderr.split('\n').filter((l) => l.startsWith('evalgate: '));
      expect(lines.length, out.stderr).toBeGreaterThanOrEqual(2);
      for (const l of lines) expect(l).toMatch(LINE);
      expect(lines.at(-1)).toMatch(/^evalgate: 30\/30 rows \(100%\), 0 failed/);
    },
    120_000,
  );
});

describe('_lineProgress', () => {
  afterEach(() => {
    vi.useRealTimers();
  });
  const snap = (done: number, queued = 100, complete = true): Progress => ({
    done,
    failed: Math.floor(done / 10),
    queued,
    complete,
    costUsd: done * 0.001,
  });

  it('writes on its timer even when no row finishes (slow rows are not silent), and a last line at the end', () => {
    vi.useFakeTimers();
    const writes: string[] = [];
    let current = snap(0);
    const p = _lineProgress(() => current, {
      stream: { write: (s: string) => writes.push(s) },
      intervalMs: 5000,
      formatCost: _formatCost,
    });
    vi.advanceTimersByTime(4999);
    expect(writes).toEqual([]);
    current = snap(3);
    vi.advanceTimersByTime(1);
    expect(writes).toEqual(['evalgate: 3/100 rows (3%), 0 failed, cost $0.003, 5.0 s\n']);
    vi.advanceTimersByTime(5000);
    expect(writes).toHaveLength(2);
    p.finish(snap(100));
    expect(writes.at(-1)).toBe('evalgate: 100/100 rows (100%), 10 failed, cost $0.10, 10 s\n');
    vi.advanceTimersByTime(20_000);
    expect(writes).toHaveLength(3); // the timer stopped
  });

  it('after the first interval, also writes at every 10% step, at most once a second', () => {
    vi.useFakeTimers();
    const writes: string[] = [];
    let current = snap(0);
    const p = _lineProgress(() => current, {
      stream: { write: (s: string) => writes.push(s) },
      intervalMs: 5000,
      formatCost: _formatCost,
    });
    current = snap(50);
    p.update(current); // in the first interval: nothing (a short run stays quiet)
    expect(writes).toEqual([]);
    vi.advanceTimersByTime(5000); // the timer's line
    expect(writes).toHaveLength(1);
    vi.advanceTimersByTime(1000);
    p.update(snap(55)); // same 10% step as the last line (50%)
    expect(writes).toHaveLength(1);
    p.update(snap(61));
    expect(writes.at(-1)).toMatch(/^evalgate: 61\/100 rows \(61%\)/);
    vi.advanceTimersByTime(500);
    p.update(snap(75)); // a new step, but within a second of the last line
    expect(writes).toHaveLength(2);
    vi.advanceTimersByTime(500);
    p.update(snap(76));
    expect(writes.at(-1)).toMatch(/^evalgate: 76\/100/);
    p.finish(snap(100));
  });

  it('a run that ends within its first interval writes nothing at all', () => {
    vi.useFakeTimers();
    const writes: string[] = [];
    const p = _lineProgress(() => snap(0), {
      stream: { write: (s: string) => writes.push(s) },
      formatCost: _formatCost,
    });
    for (let i = 1; i <= 100; i++) p.update(snap(i));
    p.finish(snap(100));
    expect(writes).toEqual([]);
  });

  it('says so while the dataset is still being read, and leaves cost out when not tracked', () => {
    expect(
      _progressLine({ done: 7, failed: 1, queued: 9, complete: false, costUsd: 0 }, 2400, _formatCost),
    ).toBe('evalgate: 7 rows done (dataset still being read, 9 so far), 1 failed, cost $0, 2.4 s');
    expect(_progressLine({ done: 0, failed: 0, queued: 0, complete: true }, 0, _formatCost)).toBe(
      'evalgate: 0/0 rows (100%), 0 failed, 0.0 s',
    );
  });

  it.each([
    [
      { intervalMs: 10 },
      'Expected `progress.intervalMs` to be a number in [100, Infinity), got `10` (number)',
    ],
    [{ everyPercent: 0 }, 'Expected `progress.everyPercent` to be a number in (0, 100], got `0` (number)'],
    ['fast', 'Expected `progress` to be a boolean, an options object or a function, got'],
  ])('evaluate() refuses progress %j', async (progress, message) => {
    await expect(evaluate([{ input: 'a' }], async () => 'a', [], { progress } as never)).rejects.toThrow(
      message,
    );
  });
});
