/**
 * Two runs of 600 examples in 4 categories (150 each), with a fixed seed: the candidate regresses by exactly 20
 * points of exact match on category "billing" (30 of its right answers turn wrong) and moves by a few examples
 * either way on the others (lost / gained below), which no test should flag. A continuous `quality` metric moves
 * with exact match. `fixtures/make_segment_pvalues.py` rebuilds the same runs in Python (same generator).
 */
import { type EvalResult, type Example, evaluate, type Metric } from '../../src/index.js';
import { exactMatch } from '../../src/metrics/index.js';

export const CATEGORIES = ['billing', 'shipping', 'returns', 'account'] as const;
export const REGRESSED = 'billing';
/** Per category: right answers the candidate loses, wrong ones it gains. */
export const CHANGES: Readonly<Record<(typeof CATEGORIES)[number], readonly [number, number]>> = {
  billing: [30, 0],
  shipping: [9, 4],
  returns: [4, 7],
  account: [5, 6],
};

/** mulberry32: a small seeded generator, so the fixture is the same on every machine. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const dataset: Example[] = Array.from({ length: 600 }, (_, i) => ({
  id: `q${i}`,
  input: i,
  reference: `answer-${i}`,
  metadata: { category: CATEGORIES[i % 4]!, tags: i % 10 === 0 ? ['hard', 'long'] : ['easy'] },
}));

/** Which examples each run answers correctly. */
function correctSets(seed: number): { baseline: Set<number>; candidate: Set<number> } {
  const random = rng(seed);
  const baseline = new Set<number>();
  for (let i = 0; i < 600; i++) if (random() < 0.75) baseline.add(i);
  const candidate = new Set(baseline);
  for (const category of CATEGORIES) {
    const rows = dataset.map((_, i) => i).filter((i) => i % 4 === CATEGORIES.indexOf(category));
    const right = rows.filter((i) => baseline.has(i));
    const wrong = rows.filter((i) => !baseline.has(i));
    const [lost, gained] = CHANGES[category];
    for (const i of right.slice(0, lost)) candidate.delete(i);
    for (const i of wrong.slice(0, gained)) candidate.add(i);
  }
  return { baseline, candidate };
}

export const sets = correctSets(20261201);

/** A continuous score in [0, 1]: 0.8 + noise when correct, 0.3 + noise when not (deterministic per row). */
export function qualityMetric(): Metric {
  return {
    name: 'quality',
    kind: 'continuous',
    bounds: [0, 1],
    score: ({ example, output }) => {
      const i = Number(example.input);
      const noise = ((i * 7919) % 101) / 1000;
      return output === example.reference ? 0.8 + noise : 0.3 + noise;
    },
  };
}

export async function runOf(which: 'baseline' | 'candidate', resamples = 999): Promise<EvalResult> {
  const right = sets[which];
  return evaluate(
    dataset,
    async (input) => (right.has(Number(input)) ? `answer-${input}` : 'wrong'),
    [exactMatch(), qualityMetric()],
    { segmentBy: 'category', resamples, seed: 7, progress: false },
  );
}
