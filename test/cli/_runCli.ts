/** Runs the `evalgate` command from source for CLI tests: the project's tsx binary on this node, no npm start-up. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const root = join(import.meta.dirname, '../..');
const TSX = join(root, 'node_modules/tsx/dist/cli.mjs');
const CLI = join(root, 'src/cli.ts');

/** The command's exit code and output; `timeoutMs` bounds the child (none by default). */
export async function evalgate(
  args: readonly string[],
  timeoutMs?: number,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [TSX, CLI, ...args], {
      cwd: root,
      ...(timeoutMs === undefined ? {} : { timeout: timeoutMs }),
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
