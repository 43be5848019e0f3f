import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'examples/vitest/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // At least two files at a time. vitest's default keeps a core for its own process (one worker on a 2-core
    // machine, every file in turn), but most of these files wait rather than compute: on the mock server, on
    // child processes, Redis, Chromium and timers. On 2 cores two workers ran the Node.js line subset of .ci/run in
    // 205 s instead of 341 s, and three in 189 s at a third more CPU time per test, so two.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // One temporary folder per run, removed at its end (test files leave theirs in os.tmpdir()).
    globalSetup: ['test/_tmpdir.setup.ts'],
  },
});
