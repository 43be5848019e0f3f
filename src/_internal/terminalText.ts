/**
 * Text from a dataset, a model or a result file as a terminal may show it: control characters written as escapes
 * (`\n`, `\r`, `\t`, `\u001b`, ...), so a value cannot move the cursor, recolour or retitle the terminal, end its
 * line early or break the columns of a table. The C0 and C1 controls and DEL are escaped, and so are the line and
 * paragraph separators (U+2028, U+2029) and the bidirectional embeddings, overrides and isolates (U+202A-U+202E,
 * U+2066-U+2069), which reorder how the text around them is shown. Everything else is kept as it is.
 *
 * @example
 * ```ts
 * _terminalText('\u001b[31mred\u001b[0m\nnext'); // => '\\u001b[31mred\\u001b[0m\\nnext'
 * ```
 */
export function _terminalText(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is escaped.
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) =>
    c === '\n'
      ? '\\n'
      : c === '\r'
        ? '\\r'
        : c === '\t'
          ? '\\t'
          : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
