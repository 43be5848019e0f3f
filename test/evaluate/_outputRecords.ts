// The set-up the `output` record suites share (binaryRecords, unwritableRecords): a folder of record files removed
// after the suite, and a run of one refused example followed by a fine one, with the model calls it made.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { type Example, evaluate } from '../../src/index.js';
import { exactMatch } from '../../src/metrics/index.js';

/**
 * Makes a folder `evalgate-<name>-…` under the OS temporary folder, removed after the calling file's tests.
 *
 * @example
 * const out = recordFiles('binary');
 * out(); // => '/tmp/evalgate-binary-Xy12/r0.jsonl'
 * out('json'); // => '/tmp/evalgate-binary-Xy12/r1.json'
 * @returns A function giving a new file path in it on each call (`r0.jsonl`, `r1.json`, …; extension `jsonl` by default).
 */
export function recordFiles(name: string): (ext?: string) => string {
  const dir = mkdtempSync(join(tmpdir(), `evalgate-${name}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let files = 0;
  return (ext = 'jsonl') => join(dir, `r${files++}.${ext}`);
}

/**
 * Runs `bad` then a fine example, one at a time, with `output` set and exactMatch as the metric.
 *
 * @example
 * const { err, called } = await runWithOutput({ id: 'big', input: { n: 10n } }, out());
 * // err: the DatasetError naming "big"; called: [] (no model call was made)
 * @returns The error the run rejected with (or its result) and the inputs the model was called with.
 */
export async function runWithOutput(
  bad: Example,
  output: string,
): Promise<{ readonly err: unknown; readonly called: unknown[] }> {
  const called: unknown[] = [];
  const err = await evaluate(
    [bad, { id: 'fine', input: 'q' }],
    async (input) => {
      called.push(input);
      return 'a';
    },
    [exactMatch()],
    { output, concurrency: 1, progress: false },
  ).catch((e: unknown) => e);
  return { err, called };
}
