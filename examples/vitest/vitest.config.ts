// A vitest config for an eval suite: the evalgate matchers for every file, and the evalgate reporter next
// to the default one (a summary table at the end, and a JSON summary for CI artifacts, written relative to
// the working directory).
// In your project the paths are 'evalgate/vitest' and 'evalgate/vitest/reporter'.
import { defineConfig } from 'vitest/config';
import { EvalgateReporter } from '../../src/vitest/reporter.js';

export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['**/*.test.ts'],
    setupFiles: ['../../src/vitest/index.ts'],
    reporters: ['default', new EvalgateReporter({ outputFile: 'results/evalgate-summary.json' })],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
