// `totals.retries` counts the retries that were sent: attempts - 1 per call (what attemptsOf documents). Regression:
// a retry was counted when its back-off began, so one that was never sent — the budget refused it after its wait,
// the run was aborted during the wait — still counted: maxRequests 1 and a 503 gave requests 1, retries 1.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attemptsOf, CallEngine, type CallOutcome } from '../../src/calls/callRuntime.js';
import { BudgetExceededError } from '../../src/errors.js';
import { check } from '../properties/_prop.js';

const never = new AbortController().signal;
const unavailable = () => Object.assign(new Error('HTTP 503'), { status: 503, headers: new Headers() });
const ok: CallOutcome<string> = { value: 'ok', usage: { inputTokens: 1, outputTokens: 1 } };
const instant = async () => {};

describe('totals.retries counts retries that were sent', () => {
  it('a retry the budget refuses after its back-off is not counted', async () => {
    const rt = new CallEngine({ sleep: instant, budget: { maxRequests: 1 } });
    let sent = 0;
    const err = await rt
      .call(
        { kind: 'model' },
        async () => {
          sent++;
          throw unavailable();
        },
        never,
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BudgetExceededError);
    expect(sent).toBe(1);
    expect(rt.totals.requests).toBe(1);
    expect(attemptsOf(err)).toBe(1);
    expect(rt.totals.retries, 'retries sent').toBe(0);
  });

  it('a retry whose back-off the abort cut short is not counted', async () => {
    const ac = new AbortController();
    const rt = new CallEngine({ retry: { baseMs: 60_000, maxMs: 60_000 }, random: () => 0.5 });
    const call = rt.call(
      { kind: 'model' },
      async () => {
        setTimeout(() => ac.abort(new Error('stop')), 5);
        throw unavailable();
      },
      ac.signal,
    );
    await expect(call).rejects.toThrow('stop');
    expect(rt.totals.requests).toBe(1);
    expect(rt.totals.retries, 'retries sent').toBe(0);
  });

  it('property: requests = calls that sent + retries, whatever fails and whatever the budget', async () => {
    await check(
      'retries are the requests after each call’s first',
      300,
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 0, max: 3 }),
        async (failuresPerCall, maxRequests, maxRetries) => {
          const rt = new CallEngine({ sleep: instant, budget: { maxRequests }, retry: { maxRetries } });
          const sentBy = failuresPerCall.map(() => 0);
          await Promise.allSettled(
            failuresPerCall.map((failures, i) =>
              rt.call(
                { kind: 'model', exampleId: `e${i}` },
                async () => {
                  sentBy[i] = (sentBy[i] ?? 0) + 1;
                  if ((sentBy[i] ?? 0) <= failures) throw unavailable();
                  return ok;
                },
                never,
              ),
            ),
          );
          const sent = sentBy.reduce((a, b) => a + b, 0);
          const retries = sentBy.reduce((a, n) => a + Math.max(0, n - 1), 0);
          if (rt.totals.requests !== sent || rt.totals.retries !== retries)
            throw new Error(
              `requests ${rt.totals.requests} (sent ${sent}), retries ${rt.totals.retries} (sent ${retries})`,
            );
        },
      ),
    );
  });
});
