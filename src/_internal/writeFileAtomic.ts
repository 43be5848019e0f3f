import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** What a file system error code means for a file that could not be written, in words. */
const _reasons: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a part of the path is a file, not a directory',
  EISDIR: 'it is a directory',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EFBIG: 'file too large (a file size limit or the file system refused it)',
  ENAMETOOLONG: 'the name is too long',
  EMFILE: 'too many open files',
};

/**
 * The error for `path` not written: Node names the temporary file (`open '.report.html.123.ab12.tmp'`) or no
 * file at all (EFBIG, ENOSPC on `write`), not the path the caller gave. The message names `path`, says why in
 * words and gives the code; `code`, `syscall` and `path` (the caller's) are kept as fields, the original error as
 * `cause`. A directory created on the way (`mkdir`) is named when it is the one refused.
 */
function _writeError(err: unknown, path: string, temp: string): unknown {
  const e = err as NodeJS.ErrnoException;
  if (typeof e?.code !== 'string') return err;
  // mkdir -p over a path whose parent is a file: Node says EEXIST (`mkdir 'out.txt'`) for what is ENOTDIR.
  const code = e.code === 'EEXIST' && e.syscall === 'mkdir' ? 'ENOTDIR' : e.code;
  const reason = _reasons[code] ?? e.message.replaceAll(temp, path);
  const where =
    e.syscall === 'mkdir' && typeof e.path === 'string'
      ? `, creating the directory "${e.path}"`
      : e.syscall === 'open'
        ? `, creating a file in "${dirname(path)}"`
        : '';
  const out = new Error(`Cannot write "${path}": ${reason} (${code})${where}`, { cause: err });
  return Object.assign(out, { code, path, ...(e.syscall === undefined ? {} : { syscall: e.syscall }) });
}

/**
 * Writes `text` to a temporary file next to `path` and renames it over `path`: readers see the old file or
 * the new one, never half of one, and a crash never truncates what was there. Creates parent directories.
 * A failure is an Error naming `path` (never the temporary file) and why, with the file system's `code`
 * (`EACCES`, `ENOENT`, `ENOSPC`, ...) kept on it.
 */
export async function _writeFileAtomic(path: string, text: string): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`);
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    throw _writeError(err, path, temp);
  }
  try {
    await writeFile(temp, text, 'utf8');
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw _writeError(err, path, temp);
  }
}
