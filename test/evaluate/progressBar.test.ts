import { describe, expect, it } from 'vitest';
import { _ttyProgress } from '../../src/run/progressBar.js';

function fakeStream() {
  const writes: string[] = [];
  return { writes, stream: { write: (s: string) => writes.push(s) > 0 } as unknown as NodeJS.WriteStream };
}

describe('TTY progress bar', () => {
  it('redraws one line with done/total and failures, and ends with a newline', () => {
    const { writes, stream } = fakeStream();
    const bar = _ttyProgress(stream);
    bar.update({ done: 0, failed: 0, queued: 10, complete: false });
    bar.finish({ done: 10, failed: 1, queued: 10, complete: true });
    expect(writes[0]).toBe('\r\x1b[2Kevalgate 0 done, 0 failed');
    expect(writes[1]).toBe(`\r\x1b[2Kevalgate [${'#'.repeat(30)}] 10/10 done, 1 failed`);
    expect(writes[2]).toBe('\n');
  });

  it('throttles redraws to one per 100 ms', () => {
    const { writes, stream } = fakeStream();
    const bar = _ttyProgress(stream);
    for (let i = 0; i < 50; i++) bar.update({ done: i, failed: 0, queued: 50, complete: true });
    expect(writes).toHaveLength(1);
  });
});
