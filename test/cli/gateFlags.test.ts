/**
 * `evalgate report --gate <metric>=<bar>`: every flag is checked. A metric named `__proto__` was assigned into a
 * plain object, where it vanished (no gate, no error, exit 0) while `--gate typo=0.9` is refused; a metric given
 * twice kept the last bar silently.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { baselineRun, writeRun } from './_resultFiles.js';
import { evalgate } from './_runCli.js';

let dir: string;
let base: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evalgate-cli-gates-'));
  base = await writeRun(dir, 'base', baselineRun());
});

describe('evalgate report --gate', () => {
  it('a gate on __proto__ is refused like any metric the result lacks', async () => {
    const { code, stderr } = await evalgate(
      ['report', base, '--gate', '__proto__=0.9', '-o', join(dir, 'proto.html')],
      30_000,
    );
    expect(stderr).toContain('Expected `gates` to name metrics of the result');
    expect(code).toBe(2);
  });

  it('a metric gated twice is a usage error', async () => {
    const { code, stderr } = await evalgate(
      [
        'report',
        base,
        '--gate',
        'exact_match=0.5',
        '--gate',
        'exact_match=0.9',
        '-o',
        join(dir, 'twice.html'),
      ],
      30_000,
    );
    expect(stderr).toContain('--gate for metric "exact_match" was given twice');
    expect(code).toBe(2);
  });
});

describe('renderHtmlReport gates', () => {
  it.each(['toString', 'constructor', '__proto__'])(
    'a gate on "%s", which the result lacks, is a TypeError naming it',
    async (name) => {
      const { renderHtmlReport } = await import('../../src/index.js');
      expect(() => renderHtmlReport(baselineRun(), { gates: Object.fromEntries([[name, 0.9]]) })).toThrow(
        new TypeError(
          `Expected \`gates\` to name metrics of the result ("exact_match", "f1"), got ${JSON.stringify(name)}`,
        ),
      );
    },
  );
});
