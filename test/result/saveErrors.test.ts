/**
 * saveResult / writeHtmlReport on a path that cannot be written: the error names the path the caller gave (never
 * the temporary file written beside it) and why, and keeps the file system's `code` for a caller that branches.
 *
 * Regression: the error was Node's, naming `.<name>.<pid>.<id>.tmp` or, for a parent that is a file, reporting
 * `EEXIST` on the parent.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluate, saveResult, writeHtmlReport } from '../../src/index.js';
import { exactMatch } from '../../src/metrics/index.js';

const dir = mkdtempSync(join(tmpdir(), 'evalgate-save-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'afile'), 'x');

const run = () =>
  evaluate([{ id: 'a', input: 'q', reference: 'a' }], async () => 'a', [exactMatch()], { progress: false });

describe('writing a file that cannot be written', () => {
  it.each([
    ['saveResult', (r: Awaited<ReturnType<typeof run>>, p: string) => saveResult(r, p)],
    ['writeHtmlReport', (r: Awaited<ReturnType<typeof run>>, p: string) => writeHtmlReport(r, p)],
  ])('%s under a file: ENOTDIR naming the path', async (_, write) => {
    const path = join(dir, 'afile', 'out.json');
    const err = await write(await run(), path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe(
      `Cannot write "${path}": a part of the path is a file, not a directory (ENOTDIR), creating the directory "${join(dir, 'afile')}"`,
    );
    expect(err).toMatchObject({ code: 'ENOTDIR', path, syscall: 'mkdir' });
    expect(((err as Error).cause as { code?: string }).code).toBe('EEXIST');
  });

  it.runIf(process.platform === 'linux')(
    'saveResult into /sys: EACCES (or EROFS) naming the path, not the temporary file',
    async () => {
      const err = await saveResult(await run(), '/sys/run.json').catch((e: unknown) => e);
      // EROFS where a container mounts sysfs read-only.
      expect((err as Error).message).toMatch(
        /^Cannot write "\/sys\/run\.json": (permission denied \(EACCES\)|read-only file system \(EROFS\)), creating a file in "\/sys"$/,
      );
      expect(err).toMatchObject({ path: '/sys/run.json' });
    },
  );
});
