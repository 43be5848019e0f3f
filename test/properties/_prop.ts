// Shared by the property suites: every property runs seeded and prints its run count and seed.
import fc from 'fast-check';
import type { Metric } from '../../src/core/types.js';

export const SEED = 19_2026;

/** Runs `property` with a fixed seed and `numRuns`, printing one line: name, runs, seed. */
export function check<Ts extends [unknown, ...unknown[]]>(
  name: string,
  numRuns: number,
  property: fc.IProperty<Ts> | fc.IAsyncProperty<Ts>,
): void | Promise<void> {
  const done = () => console.log(`property "${name}": ${numRuns} runs, seed ${SEED}`);
  const r = fc.assert(property as fc.IProperty<Ts>, { seed: SEED, numRuns });
  if (r !== undefined && typeof (r as Promise<void>).then === 'function')
    return (r as Promise<void>).then(done);
  done();
}

/** Arbitrary Unicode text: empty, one token, long, CJK, combining marks, emoji, mixed whitespace. */
export const text: fc.Arbitrary<string> = fc.oneof(
  fc.constant(''),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('word', '猫が座った', 'e\u0301te\u0301', '👍🏽🎉', '\u200b', '   ', 'a', '.'),
  fc
    .array(fc.constantFrom('the', 'cat', '猫', 'café', 'e\u0301', '🙂', ',', 'Ab', '1'), { maxLength: 30 })
    .map((w) => w.join(' ')),
  fc
    .array(fc.constantFrom('lorem', 'ipsum', 'dolor', '字'), { minLength: 1000, maxLength: 2000 })
    .map((w) => w.join(' ')),
);

/**
 * Two metrics that read a score in [0, 1] from the model's output: `em`, binary (the output rounded at 0.5), and
 * `graded`, continuous with bounds [0, 1] (the output itself). The run suites make the model answer the score.
 */
export const outputScoreMetrics: readonly Metric[] = [
  { name: 'em', kind: 'binary', score: ({ output }) => (Number(output) >= 0.5 ? 1 : 0) },
  { name: 'graded', kind: 'continuous', bounds: [0, 1], score: ({ output }) => Number(output) },
];

/** Whether `assertion` passes (a matcher failure is an AssertionError; a TypeError or RangeError is thrown on). */
export function passes(assertion: () => void): boolean {
  try {
    assertion();
    return true;
  } catch (err) {
    if (err instanceof TypeError || err instanceof RangeError) throw err;
    return false;
  }
}
