/** Numeric flags are decimal: `--port 0x50` was read as port 80 and `--alpha 0b0`-style spellings slipped through. */
import { describe, expect, it } from 'vitest';
import { evalgate } from './_runCli.js';

describe('evalgate numeric flags', () => {
  it.each([
    [['mock-server', '--port', '0x0'], '--port must be a number in [0, 65535], got "0x0"'],
    [['mock-server', '--port', '0b0'], '--port must be a number in [0, 65535], got "0b0"'],
    [['mock-server', '--port', '0o0'], '--port must be a number in [0, 65535], got "0o0"'],
    [
      ['worker', 'task.mjs', '--redis', 'redis://127.0.0.1:1', '--concurrency', '0x8'],
      '--concurrency must be a number >= 1 (an integer), got "0x8"',
    ],
  ])('a non-decimal spelling %j is a usage error, not a number in another base', async (args, message) => {
    const { code, stderr } = await evalgate(args, 20_000);
    expect(stderr).toContain(`evalgate: ${message}`);
    expect(code).toBe(2);
  });
});
