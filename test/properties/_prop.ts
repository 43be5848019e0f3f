// Shared by the property suites: every property runs seeded and prints its run count and seed.
import fc from 'fast-check';

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
