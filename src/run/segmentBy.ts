/**
 * `segmentBy`: which segments (slices such as a category or a language) each example sits in, so every metric
 * is also summarized per segment.
 * @module
 */
import { _describe } from '../_internal/describe.js';
import type { Example } from '../core/types.js';
import { SegmentError } from '../errors.js';

/**
 * How `evaluate()` finds an example's segments:
 * - a name without a dot, `'category'`: the metadata key `example.metadata.category`;
 * - a dotted field path from the example, `'metadata.lang'` or `'input.task.kind'`;
 * - a function `(example) => string | string[]` (an example may sit in several segments, or in none: `[]`).
 *
 * A field holding a string, number or boolean is one label (`String(value)`), an array of those is several;
 * a missing field (`undefined` / `null`) puts the example in no segment. Anything else is a `SegmentError`, and so is
 * a blank label (`''`, only whitespace) or `NaN`: a missing value, not a segment.
 */
export type SegmentBy = string | ((example: Example) => string | readonly string[]);

/** Checks the `segmentBy` option. */
export function _checkSegmentBy(value: unknown): void {
  if (typeof value === 'function') return;
  if (typeof value !== 'string' || value === '' || value.split('.').some((part) => part === ''))
    throw new TypeError(
      `Expected \`segmentBy\` to be a metadata key, a dotted field path or a function, got ${_describe(value)}`,
    );
}

/** What `config.segmentBy` records: the key or path, or `'function'`. */
export function _describeSegmentBy(segmentBy: SegmentBy): string {
  return typeof segmentBy === 'function' ? 'function' : segmentBy;
}

function labelOf(v: unknown, where: string, exampleId: string): string {
  // A blank label would be a segment with no visible name in every table, and NaN (String(NaN) = "NaN") a
  // segment of failed parses: both are missing values, refused rather than summarized and gated as segments.
  if ((typeof v === 'string' && v.trim() === '') || Number.isNaN(v))
    throw new SegmentError(
      `Expected \`segmentBy\` to give a label that names a segment for example "${exampleId}", got ${_describe(v)} at ${where}: a blank or NaN label is a missing value, not a segment (give \`undefined\` or \`[]\` for no segment, or a name such as "unknown")`,
      { exampleId },
    );
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new SegmentError(
    `Expected \`segmentBy\` to give a string (or an array of strings) for example "${exampleId}", got ${_describe(v)} at ${where}`,
    { exampleId },
  );
}

/**
 * The segment labels of one example, deduplicated, in the order given.
 * @throws {SegmentError} when the function throws or gives something other than labels.
 */
export function segmentLabels(segmentBy: SegmentBy, example: Example, exampleId: string): readonly string[] {
  let raw: unknown;
  let where: string;
  if (typeof segmentBy === 'function') {
    where = 'the return value of the function';
    try {
      raw = segmentBy(example);
    } catch (err) {
      throw new SegmentError(
        `\`segmentBy\` threw for example "${exampleId}": ${(err as Error)?.message ?? String(err)}`,
        {
          exampleId,
          cause: err,
        },
      );
    }
  } else {
    const path = segmentBy.includes('.') ? segmentBy.split('.') : ['metadata', segmentBy];
    where = `\`${path.join('.')}\``;
    raw = example;
    for (const part of path) {
      if (raw === null || typeof raw !== 'object' || !Object.hasOwn(raw, part)) {
        raw = undefined;
        break;
      }
      raw = (raw as Record<string, unknown>)[part];
    }
  }
  if (raw === undefined || raw === null) return [];
  // Every index of an array, holes included: `map` skips a hole, which would leave `undefined` as a label.
  const labels = Array.isArray(raw)
    ? Array.from(raw as readonly unknown[], (v) => labelOf(v, where, exampleId))
    : [labelOf(raw, where, exampleId)];
  return labels.length <= 1 ? labels : [...new Set(labels)];
}
