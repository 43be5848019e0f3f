/** `evalgate report -o`: the report is never written over a file the command reads. */
import { mkdtemp, readFile, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { baselineRun, slightlyWorseRun, writeRun } from './_resultFiles.js';
import { evalgate } from './_runCli.js';

let dir: string;
let base: string;
let cand: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evalgate-cli-report-output-'));
  base = await writeRun(dir, 'base', baselineRun());
  cand = await writeRun(dir, 'cand', slightlyWorseRun());
  await symlink(cand, join(dir, 'link.json'));
});

describe('evalgate report -o onto an input', () => {
  it.each([
    ['the result', () => ['report', cand, '-o', cand], () => cand],
    [
      'the result through another spelling',
      () => ['report', cand, '-o', join(dir, '.', 'cand.json')],
      () => cand,
    ],
    ['the result through a symbolic link', () => ['report', cand, '-o', join(dir, 'link.json')], () => cand],
    ['the baseline', () => ['report', cand, '--baseline', base, '-o', base], () => base],
    ['a run of the history', () => ['report', '--history', base, cand, '-o', cand], () => cand],
  ])('onto %s exits 2 and leaves the file as it was', async (_, args, input) => {
    const before = await readFile(input(), 'utf8');
    const { code, stderr } = await evalgate(args(), 60_000);
    expect(await readFile(input(), 'utf8')).toBe(before);
    expect(stderr).toContain(`is the input file ${input()}: the report would overwrite it`);
    expect(code).toBe(2);
  });
});
