/**
 * What JSON carries exactly. A value JSON would change on its way through text (a `Date` arrives as a string, a
 * `Map` as `{}`, `NaN` as `null`, `-0` as `0`, an `undefined` field not at all) is another value once read back:
 * the cluster refuses such an example before any call (workers receive examples as JSON), and the cache stores
 * refuse such a response (a hit would answer with another value than the call returned).
 *
 * Invariant (property-tested): `_jsonCarryProblem(v) === undefined` exactly when
 * `JSON.parse(JSON.stringify(v))` is deeply, strictly equal to `v` (prototypes aside: an object made with
 * `Object.create(null)` arrives as a plain object, which no reader can tell apart).
 * @module
 */

/** `path` extended by `key`: `input.a`, `input["a b"]`, `input[3]`. @internal */
export function _childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/** What a caller lets JSON change without calling it a problem. */
export interface _JsonCarryTolerance {
  /**
   * An object's field whose value is `undefined` (JSON drops the field; reading it still gives `undefined`).
   * An `undefined` array element stays a problem (JSON carries it as `null`). @default false
   */
  readonly undefinedFields?: boolean;
  /** `-0` (JSON carries it as `0`, equal under `===`; `JSON.parse` itself reads `-0` from `"-0"`). @default false */
  readonly negativeZero?: boolean;
  /** An object's symbol-keyed fields (JSON drops them; they are marks, not data). @default false */
  readonly symbolKeys?: boolean;
}

/**
 * The first place in `value` that JSON cannot carry exactly, as `'<path>: <what>'`, or `undefined` when
 * every part of it survives `JSON.parse(JSON.stringify(value))` unchanged (but for what `tolerate` allows).
 * @example
 * ```ts
 * _jsonCarryProblem({ when: new Date(0) }, 'input');
 * // => 'input.when: a Date (JSON carries it as a string)'
 * ```
 * @internal
 */
export function _jsonCarryProblem(
  value: unknown,
  path: string,
  tolerate: _JsonCarryTolerance = {},
): string | undefined {
  const undefinedFields = tolerate.undefinedFields === true;
  const negativeZero = tolerate.negativeZero === true;
  const symbolKeys = tolerate.symbolKeys === true;
  const ancestors: object[] = [];
  const visit = (v: unknown, at: string): string | undefined => {
    switch (typeof v) {
      case 'string':
      case 'boolean':
        return undefined;
      case 'number':
        if (!Number.isFinite(v)) return `${at}: ${v} (JSON carries it as null)`;
        if (!negativeZero && Object.is(v, -0)) return `${at}: -0 (JSON carries it as 0)`;
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
          if (!Object.hasOwn(o, i)) return `${_childPath(at, i)}: a hole (JSON carries it as null)`;
        return `${at}: an array with extra properties (JSON drops them)`;
      }
      ancestors.push(o);
      for (let i = 0; i < o.length; i++) {
        const p = visit(o[i], _childPath(at, i));
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
    if (!symbolKeys)
      for (const key of Object.getOwnPropertySymbols(o))
        if (Object.getOwnPropertyDescriptor(o, key)?.enumerable)
          return `${at}: a symbol key ${String(key)} (JSON drops it)`;
    ancestors.push(o);
    for (const key of Object.keys(o)) {
      const field = (o as Record<string, unknown>)[key];
      if (field === undefined && undefinedFields) continue;
      const p = visit(field, _childPath(at, key));
      if (p !== undefined) return p;
    }
    ancestors.pop();
    return undefined;
  };
  return visit(value, path);
}
