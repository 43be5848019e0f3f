import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BaselineMissingError, ResultFormatError } from '../../src/errors.js';
import { baseline } from '../../src/result/baseline.js';
import { loadResult } from '../../src/result/loadResult.js';
import { saveResult } from '../../src/result/saveResult.js';
import { exampleRecord, makeResult } from '../vitest/_fixtures.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evalgate-results-'));
});

const result = makeResult({
  metrics: {
    exact_match: { mean: 0.72, low: 0.63, high: 0.8 },
    constant: { mean: 1, low: Number.NaN, high: Number.NaN, warning: 'all scores equal: interval undefined' },
  },
});

describe('saveResult / loadResult', () => {
  it('round-trips a result, restoring NaN bounds, and freezes what it returns', async () => {
    const path = join(dir, 'nested/dir/qa.json');
    await saveResult(result, path);
    const loaded = await loadResult(path);
    expect(loaded).toEqual(result);
    expect(loaded.metrics.constant!.ci.low).toBeNaN();
    expect(Object.isFrozen(loaded)).toBe(true);
    expect(Object.isFrozen(loaded.metrics.exact_match!.ci)).toBe(true);
    expect(Object.isFrozen(loaded.examples[0]!.scores)).toBe(true);
  });

  it('writes pretty JSON with schemaVersion and leaves no temporary file behind', async () => {
    const path = join(dir, 'qa.json');
    await saveResult(result, path);
    await saveResult(result, path); // overwriting goes through rename too
    const text = await readFile(path, 'utf8');
    expect(text.startsWith('{\n  "schemaVersion": 1,')).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
    expect(await readdir(dir)).toEqual(['qa.json']);
  });

  it('rejects a newer schema version with an upgrade hint', async () => {
    const path = join(dir, 'future.json');
    await writeFile(path, JSON.stringify({ ...result, schemaVersion: 2 }));
    await expect(loadResult(path)).rejects.toThrow(
      new ResultFormatError(
        `${path} was written by a newer evalgate (schemaVersion 2); this version reads schemaVersion 1: upgrade evalgate to read it`,
      ),
    );
  });

  const broken: [string, unknown, string][] = [
    ['no schemaVersion', { metrics: {} }, 'is not an evalgate result: it has no `schemaVersion`'],
    ['a JSON array', [1, 2], 'is not an evalgate result: expected a JSON object, got `array(2)` (array)'],
    [
      'a comparison',
      { kind: 'evalgate-comparison', metrics: {} },
      'holds a comparison, not an evalgate result',
    ],
    [
      'schemaVersion 0',
      { ...result, schemaVersion: 0 },
      'is not a valid evalgate result: expected `schemaVersion` to be the integer 1, got `0` (number)',
    ],
    [
      'a string CI bound',
      {
        ...result,
        metrics: {
          em: { ...result.metrics.exact_match, ci: { ...result.metrics.exact_match!.ci, low: 'x' } },
        },
      },
      'is not a valid evalgate result: expected `metrics.em.ci.low` to be a number (or null for NaN), got `"x"` (string)',
    ],
    [
      'a metric name that needs quoting',
      { ...result, metrics: { 'exact match': { ...result.metrics.exact_match, kind: 'graded' } } },
      'is not a valid evalgate result: expected `metrics["exact match"].kind` to be one of "binary" | "continuous", got `"graded"` (string)',
    ],
    [
      'an example without id',
      { ...result, examples: [{ ...result.examples[0], id: undefined }] },
      'is not a valid evalgate result: expected `examples[0].id` to be a string, got nothing',
    ],
    [
      'score columns of different lengths',
      { ...result, scores: { ...result.scores, failed: [false] } },
      'is not a valid evalgate result: expected `scores.failed` to be an array of length 4, got `array(1)` (array)',
    ],
    [
      'a missing total',
      { ...result, totals: { ...result.totals, costUsd: undefined } },
      'is not a valid evalgate result: expected `totals.costUsd` to be a number, got nothing',
    ],
    [
      'a bad stoppedBy',
      { ...result, run: { ...result.run, stoppedBy: 'timeout' } },
      'is not a valid evalgate result: expected `run.stoppedBy` to be one of null | "abort" | "budget" | "decided", got `"timeout"` (string)',
    ],
  ];
  it.each(broken)(
    'rejects %s with a ResultFormatError naming the file and field',
    async (_, doc, message) => {
      const path = join(dir, 'broken.json');
      await writeFile(path, JSON.stringify(doc));
      const err = await loadResult(path).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ResultFormatError);
      expect((err as ResultFormatError).code).toBe('E_RESULT_FORMAT');
      expect((err as Error).message).toBe(`${path} ${message}`);
    },
  );

  it('reads files written before the saved-token totals existed, and checks them when present', async () => {
    const path = join(dir, 'old.json');
    const { savedInputTokens, savedOutputTokens, savedCostUsd, ...oldTotals } = result.totals;
    await writeFile(path, JSON.stringify({ ...result, totals: oldTotals }));
    expect((await loadResult(path)).totals).toEqual(oldTotals);
    await writeFile(path, JSON.stringify({ ...result, totals: { ...result.totals, savedCostUsd: '0' } }));
    await expect(loadResult(path)).rejects.toThrow(
      `${path} is not a valid evalgate result: expected \`totals.savedCostUsd\` to be a number, got \`"0"\` (string)`,
    );
  });

  it('rejects text that is not JSON', async () => {
    const path = join(dir, 'bad.json');
    await writeFile(path, '{"schemaVersion": 1,');
    await expect(loadResult(path)).rejects.toThrow(ResultFormatError);
    await expect(loadResult(path)).rejects.toThrow(`${path} is not valid JSON: `);
  });

  it('rejects bad arguments with TypeErrors', async () => {
    await expect(saveResult({ metrics: {} } as never, join(dir, 'x.json'))).rejects.toThrow(
      new TypeError(
        'Expected `result` to be an evalgate result (from evaluate() or loadResult()), got `object` (object)',
      ),
    );
    await expect(saveResult(result, 42 as unknown as string)).rejects.toThrow(
      new TypeError('Expected `path` to be a file path, got `42` (number)'),
    );
    await expect(loadResult('' as string)).rejects.toThrow(
      new TypeError('Expected `path` to be a file path, got `""` (string)'),
    );
  });

  it('keeps model text exactly, including characters JSON escapes', async () => {
    const tricky = makeResult({
      examples: [exampleRecord('a', 'line\nbreak \u2028 </script> "quotes" 🎉', { exact_match: 0 })],
    });
    const path = join(dir, 'tricky.json');
    await saveResult(tricky, path);
    expect((await loadResult(path)).examples[0]!.output).toBe('line\nbreak \u2028 </script> "quotes" 🎉');
  });
});

describe('baseline', () => {
  const saved = { update: process.env.EVALGATE_UPDATE_BASELINE, ci: process.env.CI };
  beforeEach(() => {
    delete process.env.EVALGATE_UPDATE_BASELINE;
    delete process.env.CI;
  });
  afterEach(() => {
    for (const [key, value] of [
      ['EVALGATE_UPDATE_BASELINE', saved.update],
      ['CI', saved.ci],
    ] as const)
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
  });

  const older = makeResult({ metrics: { exact_match: { mean: 0.7, low: 0.6, high: 0.79 } } });
  const newer = makeResult({ metrics: { exact_match: { mean: 0.75, low: 0.66, high: 0.83 } } });

  it('writes and returns the current result when no file exists (outside CI)', async () => {
    const path = join(dir, 'b/qa.json');
    expect(await baseline(path, older)).toBe(older);
    expect(await loadResult(path)).toEqual(older);
  });

  it('returns the stored baseline, not the current result, when the file exists', async () => {
    const path = join(dir, 'qa.json');
    await saveResult(older, path);
    const got = await baseline(path, newer);
    expect(got).toEqual(older);
    expect(await loadResult(path)).toEqual(older);
  });

  it.each(['1', 'true'])('rewrites it when EVALGATE_UPDATE_BASELINE=%s', async (value) => {
    const path = join(dir, 'qa.json');
    await saveResult(older, path);
    process.env.EVALGATE_UPDATE_BASELINE = value;
    expect(await baseline(path, newer)).toBe(newer);
    expect(await loadResult(path)).toEqual(newer);
  });

  it('does not rewrite when EVALGATE_UPDATE_BASELINE=0, and the update option wins over the variable', async () => {
    const path = join(dir, 'qa.json');
    await saveResult(older, path);
    process.env.EVALGATE_UPDATE_BASELINE = '0';
    expect(await baseline(path, newer)).toEqual(older);
    expect(await baseline(path, newer, { update: true })).toBe(newer);
    process.env.EVALGATE_UPDATE_BASELINE = '1';
    expect(await baseline(path, older, { update: false })).toEqual(newer);
  });

  it('refuses to create a missing baseline in CI', async () => {
    process.env.CI = 'true';
    const path = join(dir, 'missing.json');
    const err = await baseline(path, newer).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BaselineMissingError);
    expect((err as BaselineMissingError).path).toBe(path);
    expect((err as BaselineMissingError).code).toBe('E_BASELINE_MISSING');
    expect(((err as BaselineMissingError).cause as { code?: string }).code).toBe('ENOENT');
    expect((err as Error).message).toBe(
      `No baseline at "${path}" (ENOENT), and it was not created because the environment variable CI is set (CI=true), where a missing baseline fails instead of passing against itself. Record it: run the suite once with EVALGATE_UPDATE_BASELINE=1 (e.g. \`EVALGATE_UPDATE_BASELINE=1 npx vitest run\`, or pass \`update: true\`) and commit the file.`,
    );
    await expect(baseline(path, newer, { createIfMissing: false })).rejects.toThrow(
      /because `createIfMissing: false` was passed\. Record it/,
    );
    expect(await readdir(dir)).toEqual([]);
    expect(await baseline(path, newer, { createIfMissing: true })).toBe(newer);
    process.env.EVALGATE_UPDATE_BASELINE = '1';
    expect(await baseline(join(dir, 'other.json'), newer)).toBe(newer);
  });

  it('rejects bad arguments with TypeErrors', async () => {
    await expect(baseline(join(dir, 'x.json'), null as never)).rejects.toThrow(
      new TypeError(
        'Expected `result` to be an evalgate result (from evaluate() or loadResult()), got `null` (null)',
      ),
    );
  });
});
