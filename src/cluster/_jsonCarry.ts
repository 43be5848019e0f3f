/**
 * The cluster's refusal of an example JSON would change on its way to a worker: workers receive examples as
 * JSON, so such an example would give them other inputs than a single process sees.
 * @module
 */
import { _jsonCarryProblem } from '../_internal/jsonCarryProblem.js';
import type { Example } from '../core/types.js';
import { ClusterError } from '../errors.js';

export { _jsonCarryProblem };

/** The message of the refusal of example `id` (position `position`). */
export function _notCarriedMessage(id: string, position: number, problem: string): string {
  return `Example "${id}" (dataset row ${position}) cannot travel to the cluster's workers unchanged: ${problem}. Workers receive examples as JSON, so they would see another value than one process does. Convert the field to JSON first (a Date to an ISO string, a Map to an object or an array of pairs, NaN or -0 to a number or null), or run without \`cluster\`.`;
}

/**
 * Refuses an example that JSON would change on its way to a worker, naming it and the field.
 * @throws {ClusterError} (`'not-carried'`).
 * @internal
 */
export function _checkCarried(item: unknown, position: number): void {
  if (item === null || typeof item !== 'object') return; // the placer names a row that is not an example
  const ex = item as Example;
  const problem = _jsonCarryProblem(item, 'example');
  if (problem === undefined) return;
  const id = typeof ex.id === 'string' || typeof ex.id === 'number' ? String(ex.id) : `#${position}`;
  throw new ClusterError(_notCarriedMessage(id, position, problem), 'not-carried', {
    role: 'coordinator',
    exampleId: id,
  });
}
