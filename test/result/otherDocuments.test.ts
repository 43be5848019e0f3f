/**
 * loadResult on an evalgate document that is not a result: the vitest reporter's summary file (`outputFile`, also
 * schemaVersion 1) is named as what it is, with the file, instead of "expected `run` to be an object, got nothing".
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadResult, ResultFormatError } from '../../src/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evalgate-otherdocs-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadResult: other evalgate documents', () => {
  it("the vitest reporter's summary file is refused as what it is", async () => {
    const path = join(dir, 'evalgate-summary.json');
    await writeFile(
      path,
      JSON.stringify({
        kind: 'evalgate-vitest-summary',
        schemaVersion: 1,
        reason: 'passed',
        evals: [],
        totals: {},
      }),
    );
    const err = await loadResult(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResultFormatError);
    expect((err as Error).message).toBe(
      `${path} holds the evalgate vitest reporter's summary, not an evalgate result: save a result with saveResult() (or baseline()) and load that`,
    );
  });
});
