// Node runs a timer whose delay exceeds 2^31-1 ms (24.8 days) after 1 ms. Regressions: the cluster heartbeat's
// period (a fifth of `heartbeatTimeoutMs`) went to setInterval as it was, so a heartbeat of 5 x 2^31 ms renewed the
// run's keys every millisecond; and a worker's `lockDurationMs` past it (BullMQ renews a lock at half of it) was
// taken.
import { describe, expect, it } from 'vitest';
import { _Heartbeat } from '../../src/cluster/_heartbeat.js';
import { _runKeys } from '../../src/cluster/_protocol.js';
import { runWorker } from '../../src/cluster/runWorker.js';

describe('cluster timers sized past 2^31-1 ms', () => {
  it('a heartbeat of 5 x 2^31 ms does not renew the keys every millisecond', async () => {
    let beats = 0;
    const chain = {
      set: () => chain,
      pexpire: () => chain,
      exec: async () => {
        beats++;
        return [];
      },
    };
    const redis = { multi: () => chain } as never;
    const heartbeat = new _Heartbeat(
      redis,
      _runKeys('run'),
      { heartbeatMs: 5 * 2 ** 31, keyTtlMs: 5 * 2 ** 31, failAfterMs: 1000 },
      { onLost: () => {}, onReset: () => {} },
    );
    await new Promise((r) => setTimeout(r, 60));
    heartbeat.stop();
    expect(beats).toBe(0);
  });

  it('runWorker refuses lockDurationMs past 2^31-1 ms before it connects', async () => {
    const start = runWorker({ redis: 'redis://127.0.0.1:9', task: './t.js', lockDurationMs: 2 ** 31 });
    await expect(start).rejects.toThrow(RangeError);
    await expect(start).rejects.toThrow(
      'Expected `lockDurationMs` to be an integer >= 100 and <= 2147483647, got `2147483648` (number)',
    );
  });
});
