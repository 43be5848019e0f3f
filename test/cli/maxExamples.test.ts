/**
 * `evalgate report --max-examples <n>`: the HTML report's `maxExamples` (rows in its example table, 5,000 by
 * default), which the library takes and the command had no flag for (`Unknown option`), beside
 * `--max-example-bytes`. Validated as the other numeric flags: decimal, an integer >= 0, the value echoed.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { baselineRun, writeRun } from './_resultFiles.js';
import { evalgate } from './_runCli.js';

let dir: string;
let base: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evalgate-cli-max-examples-'));
  base = await writeRun(dir, 'base', baselineRun());
});

describe('evalgate report --max-examples', () => {
  it('shows that many rows, and the page says so', async () => {
    const out = join(dir, 'capped.html');
    const { code, stderr } = await evalgate(['report', base, '-o', out, '--max-examples', '10'], 30_000);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(await readFile(out, 'utf8')).toContain('showing the first 10 of 200');
  });

  it.each(['-1', '2.5', '0x10', ''])('%j is a usage error naming the flag and the value', async (raw) => {
    const { code, stderr } = await evalgate(
      ['report', base, '-o', join(dir, 'bad.html'), `--max-examples=${raw}`],
      30_000,
    );
    expect(stderr).toContain(
      `evalgate: --max-examples must be a number >= 0 (an integer, rows), got ${JSON.stringify(raw)}`,
    );
    expect(code).toBe(2);
  });

  it('is in the help', async () => {
    const { stdout } = await evalgate(['--help'], 30_000);
    expect(stdout).toContain('[--max-examples <n>]');
  });
});
