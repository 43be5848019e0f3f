import { _describe } from '../../_internal/describe.js';
import type { MetricScore } from '../../core/types.js';
import { JudgeParseError } from '../../errors.js';

/**
 * Turns a failed verdict into a missing score that keeps the judge's raw text: counted in `nMissing`,
 * never a default score. Other errors (network, abort) propagate.
 */
export function _missingVerdict(err: unknown, extra: Record<string, unknown> = {}): MetricScore {
  if (err instanceof JudgeParseError)
    return { value: null, details: { ...extra, error: err.message, raw: err.raw } };
  throw err;
}

/** The question an example asks: its input as text. */
export function _questionOf(input: unknown): string {
  if (typeof input === 'string') return input;
  const messages = (input as { messages?: { role?: string; content?: unknown }[] } | null)?.messages;
  if (Array.isArray(messages)) {
    for (let i = messages.length - 1; i >= 0; i--)
      if (messages[i]?.role === 'user' && typeof messages[i]?.content === 'string')
        return messages[i]!.content as string;
  }
  return JSON.stringify(input);
}

/** The example's reference as text (first of several), or undefined. */
export function _referenceText(reference: unknown): string | undefined {
  if (typeof reference === 'string') return reference;
  if (Array.isArray(reference) && typeof reference[0] === 'string') return reference[0];
  return undefined;
}

/** Throws a TypeError unless `value` is a non-empty string (a rubric, a criterion). */
export function _checkText(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new TypeError(`Expected \`${name}\` to be a non-empty string, got ${_describe(value)}`);
  return value;
}

/** The judge scale, defaulting to 1-5; a RangeError unless both ends are integers with min < max. */
export function _checkScale(scale: { readonly min: number; readonly max: number } | undefined): {
  readonly min: number;
  readonly max: number;
} {
  const s = scale ?? { min: 1, max: 5 };
  if (!Number.isInteger(s.min) || !Number.isInteger(s.max) || s.min >= s.max)
    throw new RangeError(
      `Expected \`scale\` to be integers with min < max, got ${_describe(JSON.stringify(s))}`,
    );
  return s;
}

/** The material a judge rates: the question, the reference answer when there is one, and the response. */
export function _judgedMaterial(
  example: { readonly input: unknown; readonly reference?: unknown },
  output: string,
): string {
  const reference = _referenceText(example.reference);
  return [
    `<question>\n${_questionOf(example.input)}\n</question>`,
    ...(reference === undefined ? [] : [`<reference_answer>\n${reference}\n</reference_answer>`]),
    `<response>\n${output}\n</response>`,
  ].join('\n\n');
}
