/**
 * `evalgate report -o PATH` where PATH cannot be written: the error names PATH, as the user wrote it, and why in
 * words with the file system's code, on one line and with no stack (an expected error, not a crash).
 *
 * Regression: Node's own messages named the temporary file beside PATH (`open '/sys/.report.html.123.ab12.tmp'`),
 * a `mkdir` of a parent (`EEXIST: file already exists, mkdir '…/afile'` when a parent is a file), or no file at all
 * (`EFBIG: file too large, write`, as a full disk's ENOSPC). /sys refuses new files (EACCES) and /proc has no room
 * for them (ENOENT) for root too; `ulimit -f` refuses the write past a size as a full disk does.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { baselineRun, writeRun } from './_resultFiles.js';
import { evalgate } from './_runCli.js';

const slow = 120_000;
const root = join(import.meta.dirname, '../..');
let dir: string;
let run: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evalgate-cli-output-errors-'));
  run = await writeRun(dir, 'run', baselineRun());
  await writeFile(join(dir, 'afile'), 'not a directory\n');
});

const onLinux = process.platform === 'linux';

describe('evalgate report -o on a path that cannot be written', () => {
  it.runIf(onLinux).each([
    // sysfs refuses a new file as EACCES, or EROFS where a container mounts it read-only.
    [
      '/sys/report.html',
      /^(permission denied \(EACCES\)|read-only file system \(EROFS\)), creating a file in "\/sys"$/,
    ],
    ['/proc/report.html', /^no such file or directory \(ENOENT\), creating a file in "\/proc"$/],
  ])(
    '%s: names the path and why',
    async (out, why) => {
      const { code, stderr } = await evalgate(['report', run, '-o', out], slow);
      const prefix = `evalgate: Cannot write "${out}": `;
      expect(stderr.startsWith(prefix) && stderr.endsWith('\n')).toBe(true);
      expect(stderr.slice(prefix.length, -1)).toMatch(why);
      expect(code).toBe(2);
    },
    slow,
  );

  it(
    'a parent that is a file: ENOTDIR, naming the path and the parent',
    async () => {
      const out = join(dir, 'afile', 'report.html');
      const { code, stderr } = await evalgate(['report', run, '-o', out], slow);
      expect(stderr).toBe(
        `evalgate: Cannot write "${out}": a part of the path is a file, not a directory (ENOTDIR), creating the directory "${join(dir, 'afile')}"\n`,
      );
      expect(code).toBe(2);
    },
    slow,
  );

  it(
    'a directory: EISDIR, naming the directory and no temporary file',
    async () => {
      const out = join(dir, 'adir');
      await mkdir(out);
      const { code, stderr } = await evalgate(['report', run, '-o', out], slow);
      expect(stderr).toBe(`evalgate: Cannot write "${out}": it is a directory (EISDIR)\n`);
      expect(code).toBe(2);
      expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    },
    slow,
  );

  it.runIf(onLinux)(
    'a write the system refuses past a size (as a full disk): names the path, leaves no file',
    async () => {
      const out = join(dir, 'big.html');
      const tsx = join(root, 'node_modules/tsx/dist/cli.mjs');
      // `ulimit -f 8`: 4096 bytes at most; Node ignores SIGXFSZ, so the write fails with EFBIG.
      const proc = spawn(
        '/bin/sh',
        ['-c', `ulimit -f 8; exec "${process.execPath}" "${tsx}" src/cli.ts report "${run}" -o "${out}"`],
        { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stderr = '';
      proc.stderr.on('data', (d) => (stderr += d));
      const code = await new Promise<number | null>((resolve) => proc.on('close', resolve));
      expect(stderr).toBe(
        `evalgate: Cannot write "${out}": file too large (a file size limit or the file system refused it) (EFBIG)\n`,
      );
      expect(code).toBe(2);
      expect(existsSync(out)).toBe(false);
      expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    },
    slow,
  );
});
