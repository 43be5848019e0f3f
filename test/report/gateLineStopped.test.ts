// An undecided gate of a run that was stopped (abort, budget) did not see "all" the rows: its report line says
// the run stopped before the gate decided, with the rows that ran.
import { describe, expect, it } from 'vitest';
import { type Example, evaluate, formatResultTable, renderHtmlReport } from '../../src/index.js';
import { exactMatch } from '../../src/metrics/index.js';

const N = 20;
const dataset: Example[] = Array.from({ length: N }, (_, i) => ({
  id: `q${i}`,
  input: `${i}`,
  reference: `${i}`,
}));

describe('the gate line of a stopped run', () => {
  it('an aborted gated run does not claim that all rows ran', async () => {
    const controller = new AbortController();
    let calls = 0;
    const model = async (input: unknown) => {
      if (++calls === 5) controller.abort();
      await new Promise((resolve) => setTimeout(resolve, 2));
      return String(input);
    };
    const r = await evaluate(dataset, model, [exactMatch()], {
      concurrency: 1,
      progress: false,
      resamples: 100,
      signal: controller.signal,
      gate: { metric: 'exact_match', atLeast: 0.999 },
    });
    expect(r.run.stoppedBy).toBe('abort');
    expect(r.gate!.decision).toBe('undecided');
    const line = formatResultTable(r).split('\n').at(-1)!;
    expect(line).not.toContain('after all');
    expect(line).toMatch(
      new RegExp(
        `^gate: undecided, exact_match >= 0\\.999, after ${r.gate!.rows} of ${N} rows, stopped by abort before the gate decided \\(95% confidence sequence`,
      ),
    );
    expect(renderHtmlReport(r)).toContain(
      `after ${r.gate!.rows} of ${N} rows, stopped by abort before the gate decided`,
    );
  });
});
