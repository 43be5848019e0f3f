/**
 * Human labels from a JSONL file keyed by example id, to attach to a dataset that was scored earlier.
 * @module
 */
import { readFile } from 'node:fs/promises';
import { _describe } from '../_internal/describe.js';
import type { Example } from '../core/types.js';
import { DatasetError } from '../errors.js';
import { type DatasetWithNotes, datasetNotes } from './datasetNotes.js';
import { exampleIdProblem, exampleIdText } from './examples.js';
import { refuseRepeatedKeys } from './refuseRepeatedKeys.js';
import { utf8Line } from './utf8Line.js';

/** Human labels by example id: id -> metric name -> the human's score. */
export type LabelSet = ReadonlyMap<string, Readonly<Record<string, number>>>;

/**
 * Reads human labels from a JSON Lines file: one object per line, `{ "id": "q17", "labels": { "correctness": 1 } }`
 * (or the labels inline beside the id: `{ "id": "q17", "correctness": 1 }`). Labels usually arrive after the
 * outputs were scored; attach them with {@link withLabels} and evaluate again (the cache replays the calls).
 *
 * Blank lines and a UTF-8 byte order mark are skipped. Several lines for one id merge (one line per metric, or a
 * second file of other metrics appended); the same label given twice with the same value is fine. Two different
 * values for one id and metric (a second rater who disagrees) are refused: one silently replacing the other would
 * change the calibrated estimate without a word. So is a line naming a key twice (`"m": 1, "m": 0`), which JSON.parse
 * would read as its last value. Keep one label per example and metric here (an adjudicated one,
 * or each rater's own file, compared with `judgeAgreement`).
 *
 * @param path - Path of the `.jsonl` file.
 * @returns A map from example id to its labels.
 * @throws {TypeError} When `path` is not a non-empty string.
 * @throws {DatasetError} On an unreadable file, invalid UTF-8, invalid JSON, a line without a string `id`, a label that is
 *   not a finite number, or a key given twice in one object of a line (`{"id":"q1","m":1,"m":0}`), naming the file and
 *   the 1-based line; on two different values for one id and metric, naming
 *   the file, both lines, the id and the metric.
 * @example
 * ```ts
 * const labels = await loadLabels('labels.jsonl'); // {"id":"q1","labels":{"correctness":1}}
 * labels.get('q1'); // => { correctness: 1 }
 * const result = await evaluate(withLabels(examples, labels), model, [correctness]);
 * ```
 */
export async function loadLabels(path: string): Promise<LabelSet> {
  if (typeof path !== 'string' || path.length === 0)
    throw new TypeError(`Expected \`path\` to be a non-empty string, got ${_describe(path)}`);
  let text: string;
  try {
    // Latin-1 keeps every byte; each line is decoded strictly (see utf8Line).
    text = await readFile(path, 'latin1');
  } catch (err) {
    throw new DatasetError(`${path}: cannot read the labels file (${(err as Error).message})`, {
      cause: err,
    });
  }
  const out = new Map<string, Record<string, number>>();
  // id -> metric -> the first 1-based line that gave its label, to name both lines of a conflict.
  const givenAt = new Map<string, Map<string, number>>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = utf8Line(lines[i]!, path, i + 1);
    if (i === 0 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    line = line.trim();
    if (line === '') continue;
    const where = `${path}:${i + 1}`;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch (err) {
      throw new DatasetError(`${where}: invalid JSON (${(err as Error).message})`, {
        cause: err,
        line: i + 1,
      });
    }
    if (row === null || typeof row !== 'object' || Array.isArray(row))
      throw new DatasetError(`${where}: expected an object { id, labels }, got ${_describe(row)}`, {
        line: i + 1,
      });
    // `{"id":"q1","labels":{"m":1,"m":0}}` holds two labels, as two lines would: refused, not its last one kept.
    refuseRepeatedKeys(line, path, i + 1);
    const { id, labels, ...inline } = row as Record<string, unknown>;
    const key = exampleIdText(id);
    if (key === undefined) throw new DatasetError(`${where}: ${exampleIdProblem(id)}`, { line: i + 1 });
    const source = labels === undefined ? inline : labels;
    if (source === null || typeof source !== 'object' || Array.isArray(source))
      throw new DatasetError(
        `${where}: expected \`labels\` to be an object of metric -> number, got ${_describe(source)}`,
      );
    // Both forms on one line: the `labels` object is read and fields beside it are not, so a field beside it naming
    // one of its metrics with another value (`{"id":"q1","labels":{"m":1},"m":0}`) is a second label read as none.
    if (labels !== undefined)
      for (const [name, v] of Object.entries(inline))
        if (Object.hasOwn(source, name) && !Object.is((source as Record<string, unknown>)[name], v))
          throw new DatasetError(
            `${where}: label \`${name}\` is given twice, ${_describe((source as Record<string, unknown>)[name])} in \`labels\` and ${_describe(v)} beside it: keep one`,
            { line: i + 1 },
          );
    const merged = out.get(key) ?? {};
    const labelLines = givenAt.get(key) ?? new Map<string, number>();
    for (const [name, v] of Object.entries(source as Record<string, unknown>)) {
      if (typeof v !== 'number' || !Number.isFinite(v))
        throw new DatasetError(
          `${where}: expected label \`${name}\` to be a finite number, got ${_describe(v)}`,
          {
            exampleId: key,
          },
        );
      const before = labelLines.get(name);
      if (before !== undefined && merged[name] !== v)
        throw new DatasetError(
          `${path}: lines ${before} and ${i + 1} give example ${JSON.stringify(key)} two different \`${name}\` labels (${merged[name]}, then ${v}): keep one label per example and metric in a labels file (an adjudicated one, or each rater in a file of their own, compared with judgeAgreement)`,
          { line: i + 1, exampleId: key },
        );
      if (before === undefined) labelLines.set(name, i + 1);
      // Defined, not assigned: a label named `__proto__` is an entry (the run warns that no metric has it).
      Object.defineProperty(merged, name, { value: v, enumerable: true, writable: true, configurable: true });
    }
    out.set(key, merged);
    givenAt.set(key, labelLines);
  }
  return out;
}

/**
 * Attaches labels (from {@link loadLabels} or any map id -> labels) to a dataset's examples by id, lazily: an
 * example without an id, or without labels in the map, passes through unchanged. Existing `labels` on an example
 * are kept, the map's values winning per metric.
 *
 * Labels on some examples are the usual case (a random subset; the run's `calibrated.nLabeled` counts them). Labels
 * of which none names an example of the dataset (ids of another dataset, `1` for `q1`, examples without ids) would
 * leave the run looking unlabeled, so that is refused once the dataset has been read to its end. It cannot come
 * sooner: a streamed dataset is not read ahead, and labeled ids (a random subset) may sit anywhere in it. So every row
 * has been run by then, paid unless the cache had it (as on the usual labeled rerun of a cached run), and kept as the
 * error's partial result; to check before a paid run, compare the ids first (`labels.has(id)` over the dataset's
 * ids). When some ids
 * match and others do not (a typo'd id), the labels of the others are not used, and the run's `result.warnings`
 * says how many and shows the first few (the returned iterable declares that note under {@link datasetNotes}).
 * A run that stops before the end of the dataset (a budget, a gate, an abort, a failing row) has not seen every
 * example, so an id it did not meet is not known to match none: its note says how many labeled ids were not reached
 * after how many examples, without calling them typos, and nothing is refused.
 *
 * @param dataset - Examples (an array, iterable or async iterable).
 * @param labels - Map from example id to its labels.
 * @returns An async iterable of the examples with their labels, with its notes for the run.
 * @throws {TypeError} When `labels` is not a Map.
 * @throws {DatasetError} At the end of a non-empty dataset, when `labels` is not empty and none of its ids is an
 *   example's id; the message shows a few ids of each.
 * @example
 * ```ts
 * const result = await evaluate(withLabels(loadJsonl('qa.jsonl'), await loadLabels('labels.jsonl')), model, metrics);
 * // one label id typed "q7x" for "q7": result.warnings holds
 * // 'withLabels: 1 of 20 labeled ids is the id of no example of the dataset ("q7x"): its labels are not used'
 * ```
 */
export function withLabels(
  dataset: Iterable<Example> | AsyncIterable<Example>,
  labels: LabelSet,
): AsyncGenerator<Example> & DatasetWithNotes {
  const walk: LabelWalk = { examples: 0, matched: new Set(), ended: false };
  // Asked once the run has read what it reads: at the end, a note on the ids that matched no example; when it stopped
  // before the end, on the ids it never reached (worked out when asked: a stopped run may abandon the walk).
  const notes = () => (walk.ended ? _unmatched(walk, labels) : _notReached(walk, labels));
  return Object.assign(attachLabels(dataset, labels, walk), { [datasetNotes]: notes });
}

/** What a walk of {@link withLabels} has seen so far. */
interface LabelWalk {
  examples: number;
  readonly matched: Set<string>;
  /** The dataset was read to its end. */
  ended: boolean;
}

/** The labeled ids no example of the walk had so far. */
function _notMet(walk: LabelWalk, labels: LabelSet): string[] {
  return [...labels.keys()].filter((id) => !walk.matched.has(id));
}

/**
 * A walk read to its end: the labeled ids that are the id of no example (a typo'd id). None when no id matched: the
 * walk refused the labels with a DatasetError, which says it.
 */
function _unmatched(walk: LabelWalk, labels: LabelSet): string[] {
  if (walk.matched.size === 0) return [];
  const unmatched = _notMet(walk, labels);
  if (unmatched.length === 0) return [];
  const one = unmatched.length === 1;
  return [
    `withLabels: ${unmatched.length} of ${labels.size} labeled ids ${one ? 'is' : 'are'} the id of no example of the dataset (${idList(unmatched.slice(0, SHOWN + 1))}): ${one ? 'its' : 'their'} labels are not used`,
  ];
}

/** A walk stopped before the end: the labeled ids not met so far are not known to match no example. */
function _notReached(walk: LabelWalk, labels: LabelSet): string[] {
  if (!(labels instanceof Map) || walk.examples === 0) return [];
  const unreached = _notMet(walk, labels);
  if (unreached.length === 0) return [];
  const one = unreached.length === 1;
  return [
    `withLabels: the run stopped after reading ${walk.examples} example${walk.examples === 1 ? '' : 's'} of the dataset, before its end: ${unreached.length} of ${labels.size} labeled ids (${idList(unreached.slice(0, SHOWN + 1))}) ${one ? 'was' : 'were'} not reached, so whether ${one ? 'it is the id' : 'they are ids'} of examples was not checked; ${one ? 'its' : 'their'} labels are not used`,
  ];
}

/** The walk of {@link withLabels}; at the end of a dataset where some label ids matched, a note on those that did not. */
async function* attachLabels(
  dataset: Iterable<Example> | AsyncIterable<Example>,
  labels: LabelSet,
  walk: LabelWalk,
): AsyncGenerator<Example> {
  if (!(labels instanceof Map))
    throw new TypeError(
      `Expected \`labels\` to be a Map of id -> labels (from loadLabels), got ${_describe(labels)}`,
    );
  const { matched } = walk;
  const someIds: string[] = [];
  for await (const ex of dataset as AsyncIterable<Example>) {
    walk.examples++;
    const id = ex?.id;
    if (id !== undefined && someIds.length <= SHOWN) someIds.push(String(id));
    const extra = id === undefined ? undefined : labels.get(String(id));
    if (extra !== undefined) matched.add(String(id));
    yield extra === undefined ? ex : { ...ex, labels: { ...(ex.labels ?? {}), ...extra } };
  }
  walk.ended = true;
  if (matched.size === 0 && labels.size > 0 && walk.examples > 0) {
    const shown = someIds.length === 0 ? 'none has an id' : idList(someIds);
    throw new DatasetError(
      `withLabels: none of the ${labels.size} labeled ids (${idList([...labels.keys()].slice(0, SHOWN + 1))}) is the id of one of the ${walk.examples} examples (${shown}): no example got its labels`,
    );
  }
}

/** How many ids an error message shows of each side. */
const SHOWN = 3;

/** The first {@link SHOWN} ids quoted, then `…` when there are more. */
function idList(ids: readonly unknown[]): string {
  const quoted = ids.slice(0, SHOWN).map((id) => JSON.stringify(String(id)));
  return [...quoted, ...(ids.length > SHOWN ? ['…'] : [])].join(', ');
}
