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
 * The first part of example `item` JSON would change on its way to a worker. A human label of `-0` is not one: the
 * feeder sends labels holding one beside the example, encoded exactly (`_labelsText` in `_protocol.ts`).
 */
function carryProblem(item: object): string | undefined {
  const labels = (item as Example).labels;
  if (labels === undefined || !Object.hasOwn(item, 'labels')) return _jsonCarryProblem(item, 'example');
  const rest: object = Object.create(Object.getPrototypeOf(item));
  const fields = Object.getOwnPropertyDescriptors(item) as Record<PropertyKey, PropertyDescriptor>;
  delete fields.labels;
  Object.defineProperties(rest, fields);
  return (
    _jsonCarryProblem(rest, 'example') ?? _jsonCarryProblem(labels, 'example.labels', { negativeZero: true })
  );
}

/**
 * Refuses an example that JSON would change on its way to a worker, naming it and the field. A label of `-0` is
 * carried (beside the example, encoded), so it is no reason to refuse: one process takes it.
 * @throws {ClusterError} (`'not-carried'`).
 * @example
 * ```ts
 * _checkCarried({ id: 'q1', input: { when: new Date(0) } }, 0); // throws: "example.input.when: a Date …"
 * _checkCarried({ id: 'q1', input: 'x', labels: { correct: -0 } }, 0); // => undefined (carried)
 * ```
 * @internal
 */
export function _checkCarried(item: unknown, position: number): void {
  if (item === null || typeof item !== 'object') return; // the placer names a row that is not an example
  const ex = item as Example;
  const problem = carryProblem(item);
  if (problem === undefined) return;
  const id = typeof ex.id === 'string' || typeof ex.id === 'number' ? String(ex.id) : `#${position}`;
  throw new ClusterError(_notCarriedMessage(id, position, problem), 'not-carried', {
    role: 'coordinator',
    exampleId: id,
  });
}
