// `evalgate worker`: usage errors exit 2 with a message naming the flag; a task module without `model` is
// refused before any connection is made. (Running workers are exercised by cluster.e2e.test.ts.)
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const TSX = join(root, 'node_modules/tsx/dist/cli.mjs');
const CLI = join(root, 'src/cli.ts');

async function cli(...args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    const { stderr } = await promisify(execFile)(process.execPath, [TSX, CLI, ...args], {
      cwd: root,
      timeout: 60_000,
    });
    return { code: 0, stderr };
  } catch (err) {
    const e = err as { code: number; stderr: string };
    return { code: e.code, stderr: e.stderr };
  }
}

describe('evalgate worker (usage)', () => {
  it.each([
    [['worker'], /worker takes one task module, got 0 arguments/],
    [['worker', 'task.ts'], /worker needs --redis <url>/],
    [
      ['worker', 'task.ts', '--redis', 'redis://127.0.0.1:1', '--concurrency', '0'],
      /--concurrency must be a number >= 1 \(an integer\), got "0"/,
    ],
    [
      ['worker', 'task.ts', '--redis', 'redis://127.0.0.1:1', '--max-wait=-5'],
      /--max-wait must be a number >= 0 \(an integer, ms\), got "-5"/,
    ],
    [
      ['worker', 'test/cluster/_cluster.ts', '--redis', 'redis://127.0.0.1:1'],
      /Expected the task module "test\/cluster\/_cluster.ts" to export `model` \(a function\), got `undefined`/,
    ],
  ])(
    '%j exits 2: %s',
    async (args, message) => {
      const { code, stderr } = await cli(...args);
      expect(code).toBe(2);
      expect(stderr).toMatch(message);
    },
    60_000,
  );
});
