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
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
