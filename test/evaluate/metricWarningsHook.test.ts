/**
 * A metric's declared `warnings` hook (the protocol gEval uses to say its rows got fewer sampled verdicts than
 * asked): called once after the run with the scored rows, its sentences go to `result.warnings`. A hook that throws
 * or returns something else is itself the warning, and the paid-for result is kept.
 */
import { describe, expect, it } from 'vitest';
import { type Example, evaluate, type Metric } from '../../src/index.js';

const examples: Example[] = Array.from({ length: 5 }, (_, i) => ({ id: `e${i}`, input: i }));
const metric = (warnings: Metric['warnings']): Metric => ({
  name: 'odd',
  kind: 'binary',
  score: (c) => ({ value: Number(c.example.input) % 2, details: { seen: c.example.input } }),
  ...(warnings === undefined ? {} : { warnings }),
});
const run = (m: Metric) => evaluate(examples, async (x) => String(x), [m], { progress: false });

describe('Metric.warnings', () => {
  it('sees the scored rows with their details, and its sentences are the run’s warnings', async () => {
    const r = await run(
      metric((rows) => [`${rows.values.filter((v) => v === 1).length} odd of ${rows.details.length} rows`]),
    );
    expect(r.warnings).toContain('2 odd of 5 rows');
  });

  it.each([
    [
      'throws',
      () => {
        throw new RangeError('nope');
      },
      'metric `odd`: its warnings() hook threw RangeError: nope',
    ],
    [
      'returns a string',
      () => 'one' as unknown as string[],
      'metric `odd`: its warnings() hook returned `"one"` (string), not an array of strings',
    ],
  ])('a hook that %s is itself the warning', async (_, hook, want) => {
    const r = await run(metric(hook));
    expect(r.n).toBe(5);
    expect(r.warnings).toContain(want);
  });
});
