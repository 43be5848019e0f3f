/**
 * A small run with segments for the report's segment filter: 9 examples, each in one or two segments (a list
 * from `segmentBy`), one of them hostile markup, run through the real `evaluate()`.
 */
import { type EvalResult, type Example, evaluate } from '../../src/index.js';
import { exactMatch } from '../../src/metrics/index.js';

export const HOSTILE_SEGMENT = '<img src=x onerror="globalThis.__pwned=1">"q\'';

/** Segment labels of each example, by id. */
export const SEGMENTS_OF: Readonly<Record<string, readonly string[]>> = {
  e0: ['billing'],
  e1: ['billing', 'urgent'],
  e2: ['shipping'],
  e3: ['shipping', 'urgent'],
  e4: ['returns'],
  e5: [HOSTILE_SEGMENT],
  e6: ['billing'],
  e7: ['shipping'],
  e8: [],
};

export async function segmentedRun(): Promise<EvalResult> {
  const dataset: Example[] = Object.keys(SEGMENTS_OF).map((id, i) => ({
    id,
    input: i,
    reference: i % 3 === 0 ? 'nope' : String(i),
    metadata: { tags: SEGMENTS_OF[id] },
  }));
  return evaluate(dataset, async (x) => String(x), [exactMatch()], {
    segmentBy: (e) => (e.metadata as { tags: string[] }).tags,
    progress: false,
    resamples: 200,
  });
}
