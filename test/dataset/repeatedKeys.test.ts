/**
 * A JSON line that gives one object a key twice (`{"id": 1, "id": 2}`, `{"labels": {"m": 1, "m": 0}}`): JSON.parse
 * keeps the last value and drops the other without a word, so loadJsonl read the example `2` and loadLabels the
 * label 0, where two lines giving one id two labels are refused. Such a line is now a DatasetError naming the file,
 * the line, the key and where it is; the same key in two different objects, and key-like text inside strings, are
 * no repeat, and a line without a repeat reads as JSON.parse reads it (property-tested).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { _repeatedJsonKey } from '../../src/_internal/repeatedJsonKey.js';
import { DatasetError, loadJsonl, loadLabels } from '../../src/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evalgate-repeated-keys-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let files = 0;
const file = async (text: string) => {
  const path = join(dir, `f${files++}.jsonl`);
  await writeFile(path, text);
  return path;
};
const read = async (path: string) => {
  const rows: unknown[] = [];
  for await (const ex of loadJsonl(path)) rows.push(ex);
  return rows;
};
const message = (path: string, line: number, key: string, at: string) =>
  `${path}:${line}: the line gives key ${JSON.stringify(key)} twice in one object (at \`${at}\`): JSON keeps only the last of the two values and would drop the other without a word; keep one`;

const ok = '{"id":"a","input":"x"}\n';

describe('loadJsonl: a key given twice in one object', () => {
  it.each([
    ['the id', '{"id":1,"input":"q","id":2}', 'id', 'id'],
    ['an escaped spelling of the id', '{"\\u0069d":"q1","id":"q2","input":"q"}', 'id', 'id'],
    [
      'a nested field of the input',
      '{"id":"b","input":{"question":"a","question":"b"}}',
      'question',
      'input.question',
    ],
    ['a label', '{"id":"b","input":"q","labels":{"m":1, "m" :0}}', 'm', 'labels.m'],
    [
      'a field of an object in an array',
      '{"id":"b","input":[{"role":"user","role":"system"}]}',
      'role',
      'input[].role',
    ],
  ])('%s is a DatasetError naming the line and the key', async (_, line, key, at) => {
    const path = await file(`${ok}\n${line}\n`);
    const err = await read(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatasetError);
    expect((err as DatasetError).message).toBe(message(path, 3, key, at));
    expect((err as DatasetError).line).toBe(3);
  });

  it('the same key in two objects, and key-like text inside strings, are no repeat', async () => {
    const lines = [
      '{"id":"a","input":{"x":1},"reference":{"x":1}}',
      '{"id":"b","input":"\\"id\\": 1, \\"id\\": 2","metadata":{"s":"\\\\","t":"{\\"a\\":1,\\"a\\":2}"}}',
      '{"id":"c","input":[{"role":"user"},{"role":"system"}]}',
    ];
    const path = await file(lines.join('\n'));
    expect(await read(path)).toEqual(lines.map((l) => JSON.parse(l)));
  });
});

describe('loadLabels: a key given twice in one object', () => {
  it.each([
    ['one label twice', '{"id":"a","labels":{"m":1,"m":0}}', 'm', 'labels.m'],
    ['one inline label twice', '{"id":"a","m":1,"m":0}', 'm', 'm'],
    ['the id twice', '{"id":"a","id":"b","labels":{"m":1}}', 'id', 'id'],
  ])('%s is a DatasetError naming the line and the key', async (_, line, key, at) => {
    const path = await file(`{"id":"z","labels":{"m":1}}\n${line}\n`);
    const err = await loadLabels(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatasetError);
    expect((err as DatasetError).message).toBe(message(path, 2, key, at));
  });
});

/** A JSON object whose nested values are objects (unique keys, as JSON.stringify writes them), arrays and scalars. */
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.boolean(),
      fc.constant(null),
    ),
    tie('object'),
    fc.array(tie('value'), { maxLength: 4 }),
  ),
  object: fc.dictionary(
    fc.oneof(
      fc.string({ unit: 'binary', maxLength: 6 }),
      fc.constantFrom('id', '"', '\\', ':', '{', '__proto__'),
    ),
    tie('value'),
    { maxKeys: 5 },
  ),
}));

/**
 * `value` as JSON text with `key` given a second time (value `extra`) in the object reached by `route` (keys and
 * array indexes), which holds `key`; and the path the error should name.
 */
function withRepeat(
  value: unknown,
  route: readonly (string | number)[],
  key: string,
  extra: unknown,
): string {
  if (route.length === 0) {
    const text = JSON.stringify(value);
    return `${text.slice(0, -1)},${JSON.stringify(key)}:${JSON.stringify(extra)}}`;
  }
  const [step, ...rest] = route;
  if (Array.isArray(value))
    return `[${value.map((v, i) => (i === step ? withRepeat(v, rest, key, extra) : JSON.stringify(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${k === step ? withRepeat(v, rest, key, extra) : JSON.stringify(v)}`).join(',')}}`;
}

/** Every object inside `value` that has a key, with the route to it and the path an error names. */
function objectsWithKeys(
  value: unknown,
  route: (string | number)[] = [],
  path = '',
): { route: (string | number)[]; path: string; keys: string[] }[] {
  if (value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) return value.flatMap((v, i) => objectsWithKeys(v, [...route, i], `${path}[]`));
  const keys = Object.keys(value);
  const child = (k: string) => {
    const p = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`;
    return p.startsWith('.') ? p.slice(1) : p;
  };
  return [
    ...(keys.length > 0 ? [{ route, path, keys }] : []),
    ...keys.flatMap((k) => objectsWithKeys((value as Record<string, unknown>)[k], [...route, k], child(k))),
  ];
}

describe('_repeatedJsonKey (property)', () => {
  it('finds no repeat in JSON.stringify output, and finds the one key given twice, with its path', () => {
    fc.assert(
      fc.property(json.object, fc.nat(), fc.nat(), json.value, (value, pickObject, pickKey, extra) => {
        const text = JSON.stringify(value);
        expect(_repeatedJsonKey(text)).toBeUndefined();
        const targets = objectsWithKeys(value);
        if (targets.length === 0) return;
        const target = targets[pickObject % targets.length]!;
        const key = target.keys[pickKey % target.keys.length]!;
        const repeated = withRepeat(value, target.route, key, extra);
        JSON.parse(repeated); // still valid JSON
        const at = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)
          ? `${target.path}.${key}`
          : `${target.path}[${JSON.stringify(key)}]`;
        expect(_repeatedJsonKey(repeated)).toEqual({ key, path: at.startsWith('.') ? at.slice(1) : at });
      }),
      { seed: 48, numRuns: 500 },
    );
  });

  it('loadJsonl reads a file of lines without repeats as JSON.parse reads each line', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(json.object, { minLength: 1, maxLength: 8 }), async (rows) => {
        const path = await file(rows.map((r) => JSON.stringify(r)).join('\r\n'));
        expect(await read(path)).toEqual(rows.map((r) => JSON.parse(JSON.stringify(r))));
      }),
      { seed: 48, numRuns: 200 },
    );
  });
});
