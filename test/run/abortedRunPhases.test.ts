// Regression: a row phase began on a run that had already aborted. A row started after the abort (the next trial
// of an example queued in the same step, or a cluster worker's row whose claim was answered after its run
// stopped) got a clock that had never heard of the abort, so its model was called with a live signal, its calls
// went out and the row was recorded; and the next metric of a row whose run aborted during the previous one was
// called with the run's aborted signal. No phase begins once the run has aborted now.
import { describe, expect, it } from 'vitest';
import { evaluate, type Metric, type Model } from '../../src/index.js';
import { HUNG, within } from '../_within.js';

describe('no row phase begins after the run aborted', () => {
  it('the trials queued after the abort are not run: the model is called once, not once per trial', async () => {
    const user = new AbortController();
    const seen: boolean[] = [];
    // Aborts the run from inside its first call, before the other trials of the example are queued.
    const model: Model = async (input, ctx) => {
      seen.push(ctx.signal.aborted);
      user.abort(new Error('user abort'));
      return String(input);
    };
    const r = await within(
      evaluate([{ id: 'a', input: 'x' }], model, [], {
        progress: false,
        trials: 3,
        concurrency: 3,
        signal: user.signal,
      }).catch((err: unknown) => err),
    );
    expect(r, 'evaluate() settled after the abort').not.toBe(HUNG);
    expect(seen, 'the model calls, each with whether its signal was aborted').toEqual([false]);
  });

  it('the metric after the one during which the run aborted is not called', async () => {
    const user = new AbortController();
    const aborter: Metric = {
      name: 'aborter',
      kind: 'binary',
      score: () => {
        user.abort(new Error('user abort'));
        return 1;
      },
    };
    const signals: boolean[] = [];
    const next: Metric = {
      name: 'next',
      kind: 'binary',
      score: (ctx) => {
        signals.push(ctx.signal.aborted);
        return 1;
      },
    };
    const r = await within(
      evaluate([{ id: 'a', input: 'x' }], async (input) => String(input), [aborter, next], {
        progress: false,
        signal: user.signal,
      }).catch((err: unknown) => err),
    );
    expect(r, 'evaluate() settled after the abort').not.toBe(HUNG);
    expect(signals, 'calls of the next metric, each with whether its signal was aborted').toEqual([]);
  });
});
