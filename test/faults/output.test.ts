// GitHub issue 11, case 1: records streamed to `output` on a file that stops taking writes. evaluate() must
// reject promptly with an `E_OUTPUT` error naming the file, and keep the records it wrote before.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EvalgateError, evaluate } from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'evalgate-output-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const metric = {
  name: 'len',
  kind: 'continuous' as const,
  score: ({ output }: { output: string }) => output.length,
};
const echo = async (input: unknown) => String(input);
const dataset = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `e${i}`, input: `q${i}` }));

describe('output on a file that refuses writes', () => {
  it('/dev/full (ENOSPC): rejects with E_OUTPUT naming the file', async () => {
    const err = await evaluate(dataset(50), echo, [metric], { output: '/dev/full' }).catch((e) => e);
    expect(err).toBeInstanceOf(EvalgateError);
    expect(err.code).toBe('E_OUTPUT');
    expect(err.message).toMatch(/^Writing records to "\/dev\/full" failed: .*ENOSPC/);
    expect(err.cause.code).toBe('ENOSPC');
  });

  it('/dev/full stops the run: rows not yet started are never run', async () => {
    let calls = 0;
    const model = async (input: unknown) => {
      calls++;
      await new Promise((r) => setTimeout(r, 1));
      return String(input);
    };
    const err = await evaluate(dataset(2000), model, [metric], { output: '/dev/full', concurrency: 2 }).catch(
      (e) => e,
    );
    expect(err.code).toBe('E_OUTPUT');
    expect(calls).toBeLessThan(2000);
  });

  it('a folder that does not exist: rejects before any row runs, naming the path', async () => {
    const path = join(dir, 'no-such-folder', 'records.jsonl');
    let calls = 0;
    const err = await evaluate(
      dataset(3),
      async (i) => {
        calls++;
        return String(i);
      },
      [metric],
      { output: path },
    ).catch((e) => e);
    expect(err).toBeInstanceOf(EvalgateError);
    expect(err.code).toBe('E_OUTPUT');
    expect(err.message).toBe(`Writing records to "${path}" failed: ${err.cause.message}`);
    expect(err.cause.code).toBe('ENOENT');
    expect(calls).toBe(0);
  });

  it('a file that fills up mid-run (ulimit -f, EFBIG): rejects naming it and keeps the records written', async () => {
    const path = join(dir, 'limited.jsonl');
    const child = join(import.meta.dirname, '_fileSizeLimitChild.ts');
    // `ulimit -f 8` in sh counts 512-byte blocks: the file cannot grow past 4096 bytes. Node ignores SIGXFSZ, so
    // the write fails with EFBIG instead of killing the process.
    // /bin/sh by path (POSIX puts it there): `sh` looked up on a PATH without it would fail to spawn.
    const proc = spawn(
      '/bin/sh',
      ['-c', `ulimit -f 8; exec "${process.execPath}" --import tsx "${child}" "${path}" 400`],
      {
        cwd: join(import.meta.dirname, '../..'),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let stderr = '';
    proc.stdout.on('data', (d) => (out += d));
    proc.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => proc.kill('SIGKILL'), 20_000);
    // A spawn error settles the wait at once: without it the test waited out its 30 s timeout.
    const code = await new Promise<number | null>((resolve, reject) => {
      proc.on('error', reject);
      proc.on('close', resolve);
    });
    clearTimeout(timer);
    expect(code, stderr).toBe(0);
    const outcome = JSON.parse(out.trim());
    expect(outcome).toMatchObject({ settled: 'rejected', code: 'E_OUTPUT' });
    expect(outcome.message).toMatch(new RegExp(`^Writing records to "${path}" failed: .*EFBIG`));
    // What was written stays written: the file is at its limit, and every complete line is a record.
    expect(statSync(path).size).toBe(4096);
    const lines = readFileSync(path, 'utf8').split('\n');
    const complete = lines.slice(0, -1).map((l) => JSON.parse(l));
    expect(complete.length).toBeGreaterThan(10);
    expect(complete.length).toBeLessThan(400);
    for (const r of complete) expect(r).toMatchObject({ input: expect.stringMatching(/^question \d+ x+$/) });
  });
});
