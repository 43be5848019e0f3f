// The text table is what a terminal, a CI log and a notebook's text/plain show: a result's warnings (here: the
// intervals of a metric whose rows a gate's early stop chose are not valid) must be on it, not only in the HTML.
import { describe, expect, it } from 'vitest';
import { type Example, evaluate, formatResultTable } from '../../src/index.js';
import { exactMatch } from '../../src/metrics/index.js';
import { resultBundle } from '../../src/report/notebookDisplay.js';

const dataset: Example[] = Array.from({ length: 300 }, (_, i) => ({
  id: `q${i}`,
  input: `${i}`,
  reference: `${i}`,
}));

describe('the text table of a result with warnings', () => {
  it('says that an interval over rows a gate chose is not valid', async () => {
    const r = await evaluate(
      dataset,
      async (i) => (Number(i) % 7 === 0 ? 'x' : String(i)),
      [
        exactMatch(),
        { name: 'length', kind: 'continuous', score: ({ output }: { output: string }) => output.length / 3 },
      ],
      { progress: false, resamples: 200, gate: { metric: 'exact_match', atLeast: 0.6 } },
    );
    expect(r.run.stoppedBy).toBe('decided');
    const warning = r.warnings!.find((w) => w.includes('`length`'))!;
    expect(warning).toContain('not valid at that stopping time');
    const table = formatResultTable(r);
    expect(table).toContain(`warning: ${warning}`);
    expect(resultBundle(r)['text/plain']).toContain(`warning: ${warning}`);
  });
});
