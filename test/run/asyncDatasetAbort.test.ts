// Regression: the dataset walk awaited an async source's next item with nothing racing the run's signal, so
// evaluate() aborted by the user while the source waited for its next item did not return until the source
// yielded (never, for a stalled source).
import { describe, expect, it } from 'vitest';
import { evaluate, type Metric } from '../../src/index.js';
import { HUNG, within } from '../_within.js';

const exact: Metric = { name: 'exact', kind: 'binary', score: () => 1 };

describe('async dataset and abort', () => {
  it('evaluate() returns after abort while the dataset waits for its next item', async () => {
    let release!: () => void;
    const stalled = new Promise<void>((r) => (release = r));
    async function* data() {
      yield { id: 'a', input: 'x' };
      await stalled; // a source that stalls (a paged API that does not answer)
      yield { id: 'b', input: 'y' };
    }
    const c = new AbortController();
    setTimeout(() => c.abort(new Error('user abort')), 200);
    const run = evaluate(data(), async () => 'x', [exact], { progress: false, signal: c.signal });
    const r = await within(
      run.then(
        () => 'settled',
        () => 'settled',
      ),
    );
    release();
    await run.catch(() => {});
    expect(r, 'evaluate() settled after the abort').not.toBe(HUNG);
  }, 10_000);
});
