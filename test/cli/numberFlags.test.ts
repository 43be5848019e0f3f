/**
 * Numeric flags are decimal: `--port 0x50` was read as port 80 and `--alpha 0b0`-style spellings slipped through;
 * `--margin 0x0` was a margin of 0, `--gate exact_match=0x0` a bar of 0 and `--gate exact_match= ` a bar of 0 too.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { baselineRun, worseRun, writeRun } from './_resultFiles.js';
import { evalgate } from './_runCli.js';

describe('evalgate numeric flags', () => {
  it.each([
    [['mock-server', '--port', '0x0'], '--port must be a number in [0, 65535], got "0x0"'],
    [['mock-server', '--port', '0b0'], '--port must be a number in [0, 65535], got "0b0"'],
    [['mock-server', '--port', '0o0'], '--port must be a number in [0, 65535], got "0o0"'],
    [
      ['worker', 'task.mjs', '--redis', 'redis://127.0.0.1:1', '--concurrency', '0x8'],
      '--concurrency must be a number >= 1 (an integer), got "0x8"',
    ],
  ])('a non-decimal spelling %j is a usage error, not a number in another base', async (args, message) => {
    const { code, stderr } = await evalgate(args, 20_000);
    expect(stderr).toContain(`evalgate: ${message}`);
    expect(code).toBe(2);
  });
});

describe('evalgate --margin and --gate take decimal numbers', () => {
  let dir: string;
  let base: string;
  let worse: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'evalgate-cli-decimal-'));
    base = await writeRun(dir, 'base', baselineRun());
    worse = await writeRun(dir, 'worse', worseRun());
  });

  it.each(['0x0', '0b0', '0o0', '0x0%', 'exact_match=0x0'])(
    '--margin %s is a usage error naming the value, not a number read in another base',
    async (margin) => {
      const { code, stderr } = await evalgate(['compare', base, worse, '--margin', margin], 30_000);
      expect(stderr).toContain(`--margin must be a number >= 0`);
      expect(stderr).toContain(JSON.stringify(margin));
      expect(code).toBe(2);
    },
  );

  it.each(['exact_match=0x0', 'exact_match=0b0', 'exact_match= '])(
    '--gate %s is a usage error, not a bar of 0',
    async (gate) => {
      const { code, stderr } = await evalgate(
        ['report', base, '--gate', gate, '-o', join(dir, 'g.html')],
        30_000,
      );
      expect(stderr).toContain(`--gate must be <metric>=<number>, got ${JSON.stringify(gate)}`);
      expect(code).toBe(2);
    },
  );

  it('decimal spellings still work: --margin 0.02 / 2% / exact_match=.02, --gate exact_match=7e-1', async () => {
    for (const margin of ['0.02', '2%', 'exact_match=.02']) {
      const { stderr } = await evalgate(['compare', base, worse, '--margin', margin], 30_000);
      expect(stderr).not.toContain('must be');
    }
    const { code, stderr } = await evalgate(
      ['report', base, '--gate', 'exact_match=7e-1', '-o', join(dir, 'ok.html')],
      30_000,
    );
    expect(stderr).not.toContain('must be');
    expect(code).toBe(0);
  });
});
