/** `evalgate compare` on files a CI job can get wrong: each is exit 2 with a message naming the file. */
import { link, mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { baselineRun, writeRun } from './_resultFiles.js';
import { evalgate } from './_runCli.js';

let dir: string;
let base: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evalgate-cli-inputs-'));
  base = await writeRun(dir, 'base', baselineRun());
  await link(base, join(dir, 'hard-link.json'));
  await mkdir(join(dir, 'results'));
});

describe('evalgate compare input files', () => {
  it.each([
    ['the same path', () => base],
    ['another spelling', () => join(dir, '.', 'base.json')],
    ['a hard link', () => join(dir, 'hard-link.json')],
  ])(
    'the same file as baseline and candidate (%s) is refused: it passes whatever the run',
    async (_, other) => {
      const { code, stdout, stderr } = await evalgate(['compare', base, other()], 60_000);
      expect(stderr).toContain(
        `evalgate: the baseline ${base} and the candidate ${other()} are the same file: a run compared with itself always passes`,
      );
      expect(stdout).toBe('');
      expect(code).toBe(2);
    },
  );

  it.each([
    ['compare, the candidate', () => ['compare', base, join(dir, 'results')]],
    ['report, the result', () => ['report', join(dir, 'results'), '-o', join(dir, 'r.html')]],
    [
      'report, the baseline',
      () => ['report', base, '--baseline', join(dir, 'results'), '-o', join(dir, 'r.html')],
    ],
    [
      'report --history',
      () => ['report', '--history', base, join(dir, 'results'), '-o', join(dir, 'h.html')],
    ],
  ])('a directory given as a result file (%s) is named in the error', async (_, args) => {
    const { code, stderr } = await evalgate(args(), 60_000);
    expect(stderr).toBe(
      `evalgate: EISDIR: illegal operation on a directory, read '${join(dir, 'results')}'\n`,
    );
    expect(code).toBe(2);
  });
});
