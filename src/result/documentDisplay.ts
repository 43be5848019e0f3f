/**
 * How a result document shows itself in a notebook, without `result/` knowing how: the documents stay plain
 * data, and the package entry (`src/index.ts`) installs the notebook display of `report/` here once, when the
 * package is imported. Code that imports `result/` alone (the worker, the CLI's readers) gets bare documents.
 * @module
 */
import type { Comparison } from './Comparison.js';
import type { EvalResult } from './EvalResult.js';

/**
 * What the package entry installs: each method decorates a document before it is frozen (a non-enumerable
 * property, so JSON and `toEqual` see the same object) and returns it.
 */
export interface DocumentDisplay {
  readonly result: <T extends EvalResult>(doc: T) => T;
  readonly comparison: <T extends Comparison>(doc: T) => T;
}

let installed: DocumentDisplay | undefined;

/**
 * Installs the display every result document created from now on carries (the package entry calls it once;
 * a second call replaces the first).
 * @param display - the decorators, or `undefined` to remove them.
 * @example
 * ```ts
 * installDocumentDisplay({ result: (r) => r, comparison: (c) => c });
 * ```
 */
export function installDocumentDisplay(display: DocumentDisplay | undefined): void {
  installed = display;
}

/** A result as its display wants it (unchanged when no display is installed). */
export function displayedResult<T extends EvalResult>(doc: T): T {
  return installed === undefined ? doc : installed.result(doc);
}

/** A comparison as its display wants it (unchanged when no display is installed). */
export function displayedComparison<T extends Comparison>(doc: T): T {
  return installed === undefined ? doc : installed.comparison(doc);
}
