/**
 * An evaluation suite a team would keep next to its unit tests: a quality bar, a regression gate against a
 * committed baseline, and a prompt A/B test. Each assertion is statistical: it holds with 95% confidence
 * rather than for one lucky run.
 *
 *   npx vitest run --config examples/vitest/vitest.config.ts      # with evalgate's summary table
 *   EVALGATE_UPDATE_BASELINE=1 npx vitest run ...                 # accept the current numbers as the baseline
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
// In your project: import { baseline, compare, type EvalResult } from 'evalgate';
// import 'evalgate/vitest'; (or list 'evalgate/vitest' in test.setupFiles, as ./vitest.config.ts does).
import type { EvalResult } from '../../src/index.js';
import { compare } from '../../src/index.js';
import { baseline } from '../../src/result/baseline.js';
import type { MockServer } from '../../src/testing/types.js';
import '../../src/vitest/index.js';
import { evaluatePrompt, PROMPT_V1, PROMPT_V2, startQaServer } from './_qa.js';

let server: MockServer;
let production: EvalResult;
let candidate: EvalResult;

beforeAll(async () => {
  server = await startQaServer();
  [production, candidate] = await Promise.all([
    evaluatePrompt(server, PROMPT_V1),
    evaluatePrompt(server, PROMPT_V2),
  ]);
});

afterAll(async () => {
  await server?.close();
});

describe('arithmetic QA', () => {
  test('meets the quality bar: exact match >= 0.85 with 95% confidence', () => {
    expect(candidate).toHaveLowerBoundAtLeast('exact_match', 0.85);
    expect(candidate).toHaveLowerBoundAtLeast('f1', 0.85);
  });

  test('does not regress against the committed baseline by more than 2 points', async () => {
    // baselines/qa.json was recorded from the production prompt (see ./recordBaseline.ts). baseline()
    // returns it; with EVALGATE_UPDATE_BASELINE=1 it rewrites it with `candidate` instead.
    const base = await baseline(join(import.meta.dirname, 'baselines/qa.json'), candidate);
    expect(compare(base, candidate, { margin: 0.02 })).toBeNonInferior({ margin: 0.02 });
  });

  test('the new prompt beats the production prompt on exact match (paired, McNemar)', () => {
    const ab = compare(production, candidate);
    expect(ab).toBeSignificantlyBetter({ metric: 'exact_match' });
    // the production prompt is not better than the new one on anything
    expect(compare(candidate, production)).not.toBeSignificantlyBetter();
  });
});
