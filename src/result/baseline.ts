import { access } from 'node:fs/promises';
import { resolve } from 'node:path';
import { _checkOptions } from '../_internal/validate.js';
import { BaselineMissingError } from '../errors.js';
import type { EvalResult } from './EvalResult.js';
import { loadResult } from './loadResult.js';
import { checkEvalResult, checkPath, saveResult } from './saveResult.js';

/** Options of {@link baseline}. */
export interface BaselineOptions {
  /**
   * Rewrite the baseline file with `result`.
   * @default true when the environment variable `EVALGATE_UPDATE_BASELINE` is `1` or `true`, else false
   */
  readonly update?: boolean;
  /**
   * Write `result` as the baseline when the file does not exist yet (the first run of a new gate).
   * Off in CI so that a missing baseline fails loudly instead of passing against itself, as vitest does
   * for new snapshots.
   * @default true, unless the environment variable `CI` is set (and not `0` / `false`)
   */
  readonly createIfMissing?: boolean;
}

const BASELINE_KEYS = Object.keys({ update: true, createIfMissing: true } satisfies Record<
  keyof BaselineOptions,
  true
>);

const _envFlag = (value: string | undefined): boolean =>
  value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';

/**
 * Returns the baseline stored at `path` to compare `result` against, or (re)writes it.
 *
 * Exactly one of three things happens:
 * 1. **update** (`EVALGATE_UPDATE_BASELINE=1`, or `update: true`): `result` is written to `path`
 *    (atomically, via {@link saveResult}) and returned. Comparing a result with itself then passes, so an
 *    update run accepts the current numbers deliberately.
 * 2. **missing file, `createIfMissing`** (the default outside CI): same as 1, for a new gate's first run.
 * 3. **otherwise**: the file is read with {@link loadResult} and returned; `result` is not written. A
 *    missing file in CI rejects with a {@link BaselineMissingError} that names the file and the command that
 *    records it, a malformed one with a `ResultFormatError`.
 *
 * @param path - The baseline file, usually committed next to the suite, e.g. `'baselines/qa.json'`.
 * @param result - The current run's result.
 * @param options - See {@link BaselineOptions}.
 * @throws {TypeError} when `path` is not a string or `result` not an evalgate result.
 * @throws {BaselineMissingError} when the file does not exist and may not be created (in CI, or
 *   `createIfMissing: false`): "No baseline at "/repo/baselines/qa.json" (ENOENT) … record it with
 *   `EVALGATE_UPDATE_BASELINE=1 npx vitest run` and commit the file".
 * @returns The baseline result: the stored one, or `result` itself when it was just written.
 * @example
 * ```ts
 * import { baseline, compare } from 'evalgate';
 * const current = await evaluate(dataset, model, [exactMatch()]);
 * const base = await baseline('baselines/qa.json', current);
 * expect(compare(base, current, { margin: 0.02 })).toBeNonInferior({ margin: 0.02 });
 * // refresh deliberately: EVALGATE_UPDATE_BASELINE=1 npx vitest run
 * ```
 */
export async function baseline(
  path: string,
  result: EvalResult,
  options: BaselineOptions = {},
): Promise<EvalResult> {
  _checkOptions('baseline', options, BASELINE_KEYS);
  checkPath('path', path);
  checkEvalResult('result', result);
  const update = options.update ?? _envFlag(process.env.EVALGATE_UPDATE_BASELINE);
  const createIfMissing = options.createIfMissing ?? !_envFlag(process.env.CI);
  const exists = () =>
    access(path).then(
      () => true,
      () => false,
    );
  if (update || (createIfMissing && !(await exists()))) {
    await saveResult(result, path);
    return result;
  }
  try {
    return await loadResult(path);
  } catch (err) {
    if ((err as { code?: unknown }).code !== 'ENOENT') throw err;
    const why =
      options.createIfMissing === false
        ? '`createIfMissing: false` was passed'
        : `the environment variable CI is set (CI=${process.env.CI}), where a missing baseline fails instead of passing against itself`;
    throw new BaselineMissingError(
      `No baseline at "${resolve(path)}" (ENOENT), and it was not created because ${why}. Record it: run the suite once with EVALGATE_UPDATE_BASELINE=1 (e.g. \`EVALGATE_UPDATE_BASELINE=1 npx vitest run\`, or pass \`update: true\`) and commit the file.`,
      resolve(path),
      { cause: err },
    );
  }
}
