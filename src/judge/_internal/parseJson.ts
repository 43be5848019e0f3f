import { _repeatedJsonKey } from '../../_internal/repeatedJsonKey.js';
import { JudgeParseError } from '../../errors.js';

/**
 * Parses a judge's JSON verdict strictly: the whole reply must be one JSON object (a ```json fence around it
 * is tolerated, nothing else), naming no key of one object twice (two scores are no verdict). Anything else is a
 * `JudgeParseError` that keeps the raw text.
 */
export function _parseJsonObject(raw: string | null | undefined, what: string): Record<string, unknown> {
  const text = (raw ?? '').trim();
  const fenced = /^```(?:json)?\s*([\s\S]*?)\s*```$/.exec(text);
  const body = fenced ? fenced[1]! : text;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new JudgeParseError(`${what}: the judge's reply is not JSON`, raw ?? '');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new JudgeParseError(`${what}: the judge's reply is not a JSON object`, raw ?? '');
  // JSON.parse keeps the last of a repeated key: {"score": 8, "score": 3} read as 3, one of two answers (at any
  // depth: a statement's verdict given twice is no verdict either).
  const twice = _repeatedJsonKey(body);
  if (twice !== undefined)
    throw new JudgeParseError(
      `${what}: the judge's reply gives ${JSON.stringify(twice.key)} twice${twice.path === twice.key ? '' : ` (at ${twice.path})`}`,
      raw ?? '',
    );
  return value as Record<string, unknown>;
}

/** Reads a boolean array field of exactly `length` entries (when given), or throws a JudgeParseError. */
export function _booleanArray(
  obj: Record<string, unknown>,
  key: string,
  raw: string,
  length?: number,
): boolean[] {
  const v = obj[key];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'boolean'))
    throw new JudgeParseError(`expected \`${key}\` to be an array of booleans`, raw);
  if (length !== undefined && v.length !== length)
    throw new JudgeParseError(`expected ${length} entries in \`${key}\`, got ${v.length}`, raw);
  return v as boolean[];
}

/** Reads a string array field, or throws a JudgeParseError. */
export function _stringArray(obj: Record<string, unknown>, key: string, raw: string): string[] {
  const v = obj[key];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
    throw new JudgeParseError(`expected \`${key}\` to be an array of strings`, raw);
  return (v as string[]).map((s) => s.trim()).filter((s) => s.length > 0);
}
