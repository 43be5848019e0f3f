// A run that stopped because its gate decided is not a failed or partial run in the sense the surfaces warn
// about (an abort or a spent budget): the notebook caption must read as the text table beside it does.
import { describe, expect, it } from 'vitest';
import { type Example, evaluate, formatResultTable } from '../../src/index.js';
import { exactMatch } from '../../src/metrics/index.js';
import { resultBundle } from '../../src/report/notebookDisplay.js';

const dataset: Example[] = Array.from({ length: 400 }, (_, i) => ({
  id: `q${i}`,
  input: `${i}`,
  reference: `${i}`,
}));

describe('the notebook caption of a gated run', () => {
  it('a run stopped by its gate deciding is not called "stopped by decided: a partial run"', async () => {
    const r = await evaluate(dataset, async (input) => String(input), [exactMatch()], {
      concurrency: 1,
      progress: false,
      resamples: 100,
      gate: { metric: 'exact_match', atLeast: 0.5 },
    });
    expect(r.run.stoppedBy).toBe('decided');
    const html = resultBundle(r)['text/html'];
    expect(html).not.toContain('stopped by decided');
    expect(html).not.toContain('partial run');
    expect(formatResultTable(r)).not.toContain('partial run');
  });

  it('an aborted run says after how many of the planned rows, as the text table does', async () => {
    const controller = new AbortController();
    let calls = 0;
    const r = await evaluate(
      dataset.slice(0, 20),
      async (input) => {
        if (++calls === 5) controller.abort();
        await new Promise((resolve) => setTimeout(resolve, 2));
        return String(input);
      },
      [exactMatch()],
      { concurrency: 1, progress: false, resamples: 100, signal: controller.signal },
    );
    expect(r.run.stoppedBy).toBe('abort');
    expect(resultBundle(r)['text/html']).toContain(`stopped by abort after ${r.n} of 20 rows: a partial run`);
  });
});
