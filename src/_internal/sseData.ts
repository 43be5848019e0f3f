/**
 * The one reader of server-sent events (the WHATWG HTML "event stream" format) in the library: what a streamed
 * response carries, read by the request router (usage, the text of a failed stream) and by the trajectory recorder
 * (the body a stream adds up to).
 * @module
 */

/**
 * Reads an event stream as it comes, chunk by chunk, giving the `data` of each event: its `data:` fields joined
 * with `"\n"` (one space after the colon dropped), dispatched at the blank line that ends the event. Lines end in
 * CRLF, CR or LF (a CRLF split between two chunks is one line end); comments (`:` lines) and other fields (`event:`,
 * `id:`, `retry:`) are ignored; a leading byte-order mark is dropped. An event without a `data:` field gives
 * nothing; one with an empty `data:` gives `''`. Any split of a stream into chunks reads the same events.
 * @example
 * ```ts
 * const reader = new _SseReader();
 * reader.push('data: {"a":\r');
 * // => []
 * reader.push('\ndata: 1}\n\n: keep-alive\n\n');
 * // => ['{"a":\n1}']
 * ```
 * @internal
 */
export class _SseReader {
  /** The line read so far, not ended yet. */
  #line = '';
  /** The `data:` values of the event being read, none yet: `undefined`. */
  #data: string[] | undefined = undefined;
  /** The last chunk ended in CR: an LF that starts the next one ends no other line. */
  #cr = false;
  #started = false;

  /** Reads `chunk`; returns the data of the events it ended. */
  push(chunk: string): string[] {
    const out: string[] = [];
    let text = chunk;
    if (!this.#started && text !== '') {
      this.#started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    let start = 0;
    if (this.#cr && text.charCodeAt(0) === 10) start = 1;
    if (text !== '') this.#cr = false;
    for (let i = start; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      this.#field(this.#line + text.slice(start, i), out);
      this.#line = '';
      if (c === 13) {
        if (i + 1 === text.length) this.#cr = true;
        else if (text.charCodeAt(i + 1) === 10) i++;
      }
      start = i + 1;
    }
    this.#line += text.slice(start);
    return out;
  }

  /**
   * Ends the stream; returns the data of the event it ended in. Unlike a browser, which drops an event that the
   * stream ends before its blank line, this reads it: a stream cut off mid-event still says what it carried (the
   * usage the provider bills, the text that came).
   */
  end(): string[] {
    const out: string[] = [];
    if (this.#line !== '') this.#field(this.#line, out);
    this.#line = '';
    this.#dispatch(out);
    this.#cr = false;
    return out;
  }

  /** One line of the stream: a field of the event being read, or the blank line that ends it. */
  #field(line: string, out: string[]): void {
    if (line === '') {
      this.#dispatch(out);
      return;
    }
    const colon = line.indexOf(':');
    // A line with no colon is a field with an empty value; a line starting with one is a comment.
    if ((colon < 0 ? line : line.slice(0, colon)) !== 'data') return;
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (this.#data === undefined) this.#data = [value];
    else this.#data.push(value);
  }

  #dispatch(out: string[]): void {
    if (this.#data === undefined) return;
    out.push(this.#data.join('\n'));
    this.#data = undefined;
  }
}

/**
 * The `data` of each event of a whole event stream, in order (see {@link _SseReader}, which reads one as it comes).
 * @example
 * ```ts
 * _sseData('event: message_start\ndata: {"type":"message_start"}\n\ndata: [DONE]\n\n');
 * // => ['{"type":"message_start"}', '[DONE]']
 * ```
 * @internal
 */
export function _sseData(text: string): string[] {
  const reader = new _SseReader();
  const out = reader.push(text);
  for (const data of reader.end()) out.push(data);
  return out;
}
