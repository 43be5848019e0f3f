/**
 * A key named twice in one object of a JSON text. `JSON.parse` keeps the last value of a repeated key and drops the
 * others without a word, so `{"id": 1, "id": 2}` reads as the example `2` and `{"labels": {"m": 1, "m": 0}}` as the
 * label 0: the file held two values and the reader saw one. The line readers refuse such a line instead.
 * @module
 */
import { _childPath } from './jsonCarryProblem.js';

/** Where a repeated key is: the key, and its path from the top of the value (`labels.m`, `input.turns[].role`). */
export interface _RepeatedJsonKey {
  readonly key: string;
  readonly path: string;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;

/** `path` extended by `key`, without the leading dot of a key at the top (`id`, not `.id`). */
const at = (path: string, key: string) => {
  const p = _childPath(path, key);
  return p.charCodeAt(0) === 0x2e ? p.slice(1) : p;
};

/** One open container: the keys an object has named so far (undefined for an array), and where it sits. */
interface _Open {
  readonly keys: Set<string> | undefined;
  readonly parent: _Open | undefined;
  /** The key it is the value of in its parent object; unused in an array. */
  readonly name: string;
}

/** The path of `container`, built only for the message (most lines have no repeat). */
function pathOf(container: _Open | undefined): string {
  if (container?.parent === undefined) return '';
  const parent = container.parent;
  return parent.keys === undefined ? `${pathOf(parent)}[]` : at(pathOf(parent), container.name);
}

/** The index of the quote that closes the string opening at `start`. */
function stringEnd(text: string, start: number): number {
  let end = text.indexOf('"', start + 1);
  for (;;) {
    let slashes = 0;
    while (text.charCodeAt(end - 1 - slashes) === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return end;
    end = text.indexOf('"', end + 1);
  }
}

/**
 * The first key that one object of `text` names twice, at any depth, or undefined. `text` must be valid JSON (the
 * caller parsed it first). Keys are compared decoded (`"\u0069d"` is `"id"`); text inside strings is skipped, and the
 * same key in two different objects is no repeat. One pass over the text.
 *
 * @example
 * ```ts
 * _repeatedJsonKey('{"id":1,"id":2}'); // => { key: 'id', path: 'id' }
 * _repeatedJsonKey('{"labels":{"m":1,"m":0}}'); // => { key: 'm', path: 'labels.m' }
 * _repeatedJsonKey('{"a":{"x":1},"b":{"x":1}}'); // => undefined
 * ```
 * @internal
 */
export function _repeatedJsonKey(text: string): _RepeatedJsonKey | undefined {
  let top: _Open | undefined;
  // The last key the innermost object named: the name of the container that opens next inside it.
  let lastKey = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const start = i;
      i = stringEnd(text, start);
      if (top?.keys === undefined) continue;
      let j = i + 1;
      while (j < text.length && text.charCodeAt(j) <= 0x20) j++;
      if (text.charCodeAt(j) !== COLON) continue;
      const raw = text.slice(start + 1, i);
      const key = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
      if (top.keys.has(key)) return { key, path: at(pathOf(top), key) };
      top.keys.add(key);
      lastKey = key;
      i = j;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      top = { keys: c === 0x7b ? new Set() : undefined, parent: top, name: lastKey };
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      top = top?.parent;
    }
  }
  return undefined;
}
