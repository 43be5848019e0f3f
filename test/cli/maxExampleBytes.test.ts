/**
 * `evalgate report --max-example-bytes <n>`: the HTML report's `maxExampleBytes` (the byte budget of its example
 * table), which the library takes and the command had no flag for (`Unknown option`). Validated as the other
 * numeric flags: decimal, an integer >= 0, the value echoed in the usage error.
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
  dir = await mkdtemp(join(tmpdir(), 'evalgate-cli-max-bytes-'));
  base = await writeRun(dir, 'base', baselineRun());
});

describe('evalgate report --max-example-bytes', () => {
  it('caps the example table at that many bytes, and the page says how many rows it left out', async () => {
    const out = join(dir, 'capped.html');
    const { code, stderr } = await evalgate(
      ['report', base, '-o', out, '--max-example-bytes', '5000'],
      30_000,
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const html = await readFile(out, 'utf8');
    expect(html).toMatch(/\d+ of 200 rows left out: the table stops at \d+ rows to stay under 0\.005 MB/);
  });

  it('without it, the 200 rows are all in the table', async () => {
    const out = join(dir, 'whole.html');
    const { code } = await evalgate(['report', base, '-o', out], 30_000);
    expect(code).toBe(0);
    expect(await readFile(out, 'utf8')).not.toContain('rows left out');
  });

  it.each(['-1', '1.5', '0x10', 'abc', '', '1e400'])(
    '%j is a usage error naming the flag and the value',
    async (raw) => {
      const { code, stderr } = await evalgate(
        // `=` form: node's parseArgs takes `--max-example-bytes -1` for a missing value (also a usage error).
        ['report', base, '-o', join(dir, 'bad.html'), `--max-example-bytes=${raw}`],
        30_000,
      );
      expect(stderr).toContain(
        `evalgate: --max-example-bytes must be a number >= 0 (an integer, bytes), got ${JSON.stringify(raw)}`,
      );
      expect(code).toBe(2);
    },
  );

  it('is in the help', async () => {
    const { stdout } = await evalgate(['--help'], 30_000);
    // The report command's usage: its first line and the indented lines under it.
    const lines = stdout.split('\n');
    const start = lines.findIndex((l) => l.includes('evalgate report <result.json>'));
    const end = lines.findIndex((l, i) => i > start && /^ {2}evalgate /.test(l));
    expect(start).toBeGreaterThanOrEqual(0);
    expect(lines.slice(start, end).join('\n')).toContain('--max-example-bytes <n>');
  });
});
