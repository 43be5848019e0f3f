// walkDataset awaits the dataset's next item with nothing racing the run's signal, so evaluate() with a
// user signal that is aborted while an async dataset is waiting for its next item does not return until the
// dataset yields (never, for a stalled source).
import { describe, expect, it } from 'vitest';
import { evaluate, type Metric } from '../../src/index.js';

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
    const hung = Symbol('hung');
    const run = evaluate(data(), async () => 'x', [exact], { progress: false, signal: c.signal });
    const r = await Promise.race([
      run.then(
        () => 'settled',
        () => 'settled',
      ),
      new Promise((resolve) => setTimeout(() => resolve(hung), 5_000)),
    ]);
    release();
    await run.catch(() => {});
    expect(r, 'evaluate() settled after the abort').not.toBe(hung);
  }, 10_000);
});
