import { inspect } from 'node:util';

/**
 * Escaping for the HTML report. Everything that comes from a model, a dataset or a metric name goes through
 * one of these two functions before it reaches the page.
 * @module
 */

const _entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and for quoted attribute values (both quote kinds). */
export function _escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => _entities[c]!);
}

/**
 * JSON that is safe inside `<script type="application/json">`: `<`, `>` and `&` become `\u003c` … so no
 * `</script>` or `<!--` can end or change the script element, and U+2028 / U+2029 are escaped for old
 * JavaScript parsers. `JSON.parse` of the element's text gives the value back unchanged.
 */
export function _jsonForScript(value: unknown): string {
  // A BigInt (a metric's summary may hold one) is written as its decimal text: JSON has no BigInt, and the page
  // must not fail over a value it only shows.
  return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? String(v) : v)).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * A value shown as text in a cell: a string as it is, anything else as its JSON, or, when JSON cannot write it (a
 * BigInt, a cycle) or leaves nothing (a function), as `util.inspect` shows it. A record of an in-memory result can
 * hold anything a dataset or a metric gave it; the page shows it rather than fail.
 */
export function _valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    const json = JSON.stringify(value);
    if (json !== undefined) return json;
  } catch {
    // shown by inspect below
  }
  return inspect(value, { depth: 6, breakLength: Number.POSITIVE_INFINITY });
}
