import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'examples/vitest/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // One temporary folder per run, removed at its end (test files leave theirs in os.tmpdir()).
    globalSetup: ['test/_tmpdir.setup.ts'],
  },
});
