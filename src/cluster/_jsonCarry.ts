/**
 * What JSON carries exactly. Examples travel to the workers as JSON, so a value JSON would change on the way
 * (a `Date` arrives as a string, a `Map` as `{}`, `NaN` as `null`, `-0` as `0`, an `undefined` field not at
 * all) would give the workers other inputs than a single process sees: the cluster refuses such an example
 * before any call, naming the field.
 *
 * Invariant (property-tested): `_jsonCarryProblem(v) === undefined` exactly when
 * `JSON.parse(JSON.stringify(v))` is deeply, strictly equal to `v` (prototypes aside: an object made with
 * `Object.create(null)` arrives as a plain object, which no reader can tell apart).
 * @module
 */
import type { Example } from '../core/types.js';
import { ClusterError } from '../errors.js';

/** `path` extended by `key`: `input.a`, `input["a b"]`, `input[3]`. */
function child(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/**
 * The first place in `value` that JSON cannot carry exactly, as `'<path>: <what>'`, or `undefined` when
 * every part of it survives `JSON.parse(JSON.stringify(value))` unchanged.
 * @example
 * ```ts
 * _jsonCarryProblem({ when: new Date(0) }, 'input');
 * // => 'input.when: a Date (JSON carries it as a string)'
 * ```
 * @internal
 */
export function _jsonCarryProblem(value: unknown, path: string): string | undefined {
  const ancestors: object[] = [];
  const visit = (v: unknown, at: string): string | undefined => {
    switch (typeof v) {
      case 'string':
      case 'boolean':
        return undefined;
      case 'number':
        if (!Number.isFinite(v)) return `${at}: ${v} (JSON carries it as null)`;
        if (Object.is(v, -0)) return `${at}: -0 (JSON carries it as 0)`;
        return undefined;
      case 'undefined':
        return `${at}: undefined (JSON drops the field, or carries it as null in an array)`;
      case 'bigint':
        return `${at}: a BigInt (JSON cannot carry it)`;
      case 'function':
        return `${at}: a function (JSON drops it)`;
      case 'symbol':
        return `${at}: a symbol (JSON drops it)`;
    }
    if (v === null) return undefined;
    const o = v as object;
    if (ancestors.includes(o)) return `${at}: a cyclic reference (JSON cannot carry it)`;
    if (Array.isArray(o)) {
      if (Object.getPrototypeOf(o) !== Array.prototype)
        return `${at}: an instance of ${o.constructor?.name ?? 'an Array subclass'} (JSON carries it as a plain array)`;
      const keys = Reflect.ownKeys(o);
      if (keys.length !== o.length + 1) {
        // own keys of a plain dense array: its indices and `length`
        for (let i = 0; i < o.length; i++)
          if (!Object.hasOwn(o, i)) return `${child(at, i)}: a hole (JSON carries it as null)`;
        return `${at}: an array with extra properties (JSON drops them)`;
      }
      ancestors.push(o);
      for (let i = 0; i < o.length; i++) {
        const p = visit(o[i], child(at, i));
        if (p !== undefined) return p;
      }
      ancestors.pop();
      return undefined;
    }
    const proto = Object.getPrototypeOf(o);
    if (proto !== Object.prototype && proto !== null) {
      const name = (o as { constructor?: { name?: unknown } }).constructor?.name;
      const what =
        o instanceof Date
          ? 'a Date (JSON carries it as a string)'
          : o instanceof Map
            ? 'a Map (JSON carries it as {})'
            : o instanceof Set
              ? 'a Set (JSON carries it as {})'
              : `an instance of ${typeof name === 'string' && name !== '' ? name : 'a class'} (JSON carries its own fields only, as a plain object)`;
      return `${at}: ${what}`;
    }
    for (const key of Object.getOwnPropertySymbols(o))
      if (Object.getOwnPropertyDescriptor(o, key)?.enumerable)
        return `${at}: a symbol key ${String(key)} (JSON drops it)`;
    ancestors.push(o);
    for (const key of Object.keys(o)) {
      const p = visit((o as Record<string, unknown>)[key], child(at, key));
      if (p !== undefined) return p;
    }
    ancestors.pop();
    return undefined;
  };
  return visit(value, path);
}

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
