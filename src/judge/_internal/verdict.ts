import { JudgeParseError } from '../../errors.js';
import type { MetricScore } from '../../types.js';

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
