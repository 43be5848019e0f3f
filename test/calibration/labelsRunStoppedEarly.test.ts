// withLabels reported label ids that match no example only at the end of the dataset: a run stopped early (by a
// budget, a gate, an abort) abandoned the walk, and result.warnings said nothing of the labeled ids it never
// reached: 12 labeled ids over 40 examples, a budget stopping after 5 rows (8 examples read), and no word that 9
// labels went unused. Those
// ids are not known to be typos (the run never read their examples), so the note says they were not reached and
// not checked, and nothing is refused.
import { describe, expect, it } from 'vitest';
import { type Example, evaluate, type Metric, withLabels } from '../../src/index.js';

const judge: Metric = { name: 'judge', kind: 'binary', score: (c) => Number(c.example.input) % 2 };
const rows = (n: number): Example[] => Array.from({ length: n }, (_, i) => ({ id: `e${i}`, input: i }));
const labelsFor = (ids: readonly string[]) => new Map(ids.map((id, i) => [id, { judge: i % 2 }] as const));
const model = async (input: unknown) => {
  await new Promise((r) => setTimeout(r, 2));
  return { output: String(input), costUsd: 0.01 };
};
const opts = { progress: false, resamples: 100, concurrency: 1 } as const;

describe('withLabels on a run stopped before the end of its dataset', () => {
  it('a budget: says how many labeled ids were not reached, not that they match no example', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `e${3 * i + 1}`);
    const r = await evaluate(withLabels(rows(40), labelsFor(ids)), model, [judge], {
      ...opts,
      budget: { maxCostUsd: 0.05 },
    });
    expect(r.run.stoppedBy).toBe('budget');
    const note = (r.warnings ?? []).filter((w) => w.startsWith('withLabels:'));
    expect(note).toHaveLength(1);
    // The walk read the rows that ran, and the few queued ahead of them when the run stopped.
    const read = Number(/after reading (\d+) examples/.exec(note[0]!)?.[1]);
    expect(read).toBeGreaterThanOrEqual(r.n);
    expect(read).toBeLessThan(40);
    const reached = ids.filter((id) => Number(id.slice(1)) < read).length;
    expect(note[0]).toContain(
      `withLabels: the run stopped after reading ${read} examples of the dataset, before its end: ${12 - reached} of 12 labeled ids (`,
    );
    expect(note[0]).toMatch(
      /were not reached, so whether they are ids of examples was not checked; their labels are not used$/,
    );
    expect(note[0]).not.toMatch(/is the id of no example|are the id of no example/);
  });

  it('an abort before the end, with no label id reached: a note, not the no-match refusal', async () => {
    const controller = new AbortController();
    const stopping = async (input: unknown) => {
      if (input === 3) controller.abort();
      return String(input);
    };
    const r = await evaluate(withLabels(rows(40), labelsFor(['e30', 'e31'])), stopping, [judge], {
      ...opts,
      signal: controller.signal,
    });
    expect(r.run.stoppedBy).toBe('abort');
    const note = (r.warnings ?? []).filter((w) => w.startsWith('withLabels:'));
    expect(note).toHaveLength(1);
    expect(note[0]).toMatch(
      /^withLabels: the run stopped after reading \d+ examples of the dataset, before its end: 2 of 2 labeled ids \("e30", "e31"\) were not reached/,
    );
  });

  it('a run read to its end keeps the end’s note on ids that match no example', async () => {
    const r = await evaluate(withLabels(rows(20), labelsFor(['e1', 'e2', 'x9'])), model, [judge], opts);
    expect(r.warnings).toContain(
      'withLabels: 1 of 3 labeled ids is the id of no example of the dataset ("x9"): its labels are not used',
    );
    expect((r.warnings ?? []).some((w) => w.includes('not reached'))).toBe(false);
  });
});
