// A run killed halfway (SIGKILL) and started again with the same cache re-sends no request that had completed.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockServer, startMockServer } from '../../src/testing/index.js';
import { runTs } from './_sqlite.js';

const child = new URL('./_resumeChild.ts', import.meta.url).pathname;
const N = 40;
let server: MockServer;
let dir: string;
beforeAll(async () => {
  server = await startMockServer({ latencyMs: 40 });
  dir = mkdtempSync(join(tmpdir(), 'evalgate-resume-'));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function start(path: string): {
  proc: ChildProcess;
  lines: string[];
  exited: Promise<number | null>;
  stderr: () => string;
} {
  const proc = spawn(...runTs(child, [server.url, path, String(N)]), {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let buf = '';
  let err = '';
  proc.stdout?.on('data', (d) => {
    buf += d;
    const parts = buf.split('\n');
    buf = parts.pop() ?? '';
    lines.push(...parts);
  });
  proc.stderr?.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return { proc, lines, exited, stderr: () => err };
}

const doneIds = (lines: readonly string[]) =>
  lines.filter((l) => l.startsWith('done ')).map((l) => l.slice(5));
const askedIds = (s: MockServer) =>
  s.requests
    .filter((e) => e.route === '/v1/chat/completions')
    .map((e) => {
      const msgs = (e.body as { messages: { content: string }[] }).messages;
      return `q${msgs.at(-1)?.content.split(' ')[1]}`;
    });

describe('kill and resume', () => {
  it('after SIGKILL halfway, the rerun sends only what had not completed', async () => {
    const path = join(dir, 'resume.sqlite');
    server.reset();
    const first = start(path);
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (doneIds(first.lines).length >= 12) {
          clearInterval(timer);
          first.proc.kill('SIGKILL');
          resolve();
        }
      }, 2);
      first.exited.then(() => {
        clearInterval(timer);
        reject(new Error(`the first run ended on its own: ${first.stderr()}`));
      });
    });
    await first.exited;
    const completed = doneIds(first.lines);
    const sentBefore = askedIds(server);
    expect(completed.length).toBeGreaterThanOrEqual(12);
    expect(completed.length, 'killed halfway, not at the end').toBeLessThan(N);

    server.reset();
    const second = start(path);
    const code = await second.exited;
    expect(code, second.stderr()).toBe(0);
    const summary = JSON.parse(second.lines.at(-1) ?? '{}');
    expect(summary).toMatchObject({ n: N, nFailed: 0, mean: 1 });
    const resent = askedIds(server);
    // Nothing that had completed is sent again; everything else is sent exactly once.
    expect(resent.filter((id) => completed.includes(id))).toEqual([]);
    expect(new Set(resent).size).toBe(resent.length);
    expect(resent.length).toBe(N - summary.totals.cacheHits);
    expect(summary.totals.cacheHits).toBeGreaterThanOrEqual(completed.length);
    // Requests the first run had sent but not finished are the only ones that may be sent twice.
    expect(sentBefore.length).toBeGreaterThanOrEqual(completed.length);
  });
});
