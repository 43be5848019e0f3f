/**
 * A paired gate (`gate: { baseline, metric, margin }`) against a baseline that scored the metric with another
 * definition: another normalization, another judge model or rubric.
 *
 * Regression: compare() refuses a metric defined differently in the two results, but the paired gate read the
 * baseline's scores as they were: a baseline scored by `exactMatch()` against a run scored by
 * `exactMatch({ lowercase: false })` made every capitalized answer a loss, and the gate failed the candidate on the
 * change of the yardstick (or, the other way round, passed it). The run now refuses such a gate before any call,
 * naming the metric and the changed fields; a baseline scored alike gates as before.
 */
import { describe, expect, it } from 'vitest';
import { evaluate, MetricDefinitionError } from '../../src/index.js';
import { exactMatch } from '../../src/metrics/index.js';

const rows = Array.from({ length: 40 }, (_, i) => ({ id: `q${i}`, input: `q${i}`, reference: `paris ${i}` }));
const answer = async (input: unknown) => `Paris ${String(input).slice(1)}`;
const opts = { progress: false, resamples: 99 } as const;

describe('a paired gate refuses a baseline scored with another definition of its metric', () => {
  it('exactMatch() against exactMatch({ lowercase: false }): refused before any call', async () => {
    const baseline = await evaluate(rows, answer, [exactMatch()], opts);
    expect(baseline.metrics.exact_match?.mean).toBe(1);
    let calls = 0;
    const err = await evaluate(
      rows,
      async (input) => {
        calls++;
        return answer(input);
      },
      [exactMatch({ lowercase: false })],
      { ...opts, gate: { baseline, metric: 'exact_match', margin: 0.05 } },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MetricDefinitionError);
    expect((err as MetricDefinitionError).metric).toBe('exact_match');
    expect((err as MetricDefinitionError).changes).toEqual([
      { field: 'definition.lowercase', baseline: 'true', candidate: 'false' },
    ]);
    expect((err as Error).message).toBe(
      '`gate.baseline` scored `gate.metric` "exact_match" with another definition (baseline -> this run: definition.lowercase: true -> false): the gate would decide on the change of the metric, not of the system. Re-score the baseline with this run\'s definition',
    );
    expect(calls).toBe(0);
  });

  it('the same definition gates as before (the same answers: never a failure)', async () => {
    const baseline = await evaluate(rows, answer, [exactMatch()], opts);
    const r = await evaluate(rows, answer, [exactMatch()], {
      ...opts,
      gate: { baseline, metric: 'exact_match', margin: 0.05 },
    });
    expect(r.n).toBe(40);
    expect(['pass', 'undecided']).toContain(r.gate?.decision);
  });
});
