/**
 * Strict UTF-8 for the line readers: a file is read as Latin-1 (one character per byte, so nothing is lost and
 * the line breaks fall where the bytes put them), and each line is decoded from its bytes with a decoder that
 * refuses what is not UTF-8. A lenient decode turns every bad byte into U+FFFD, silently: `"café"` saved as
 * Latin-1 became `"caf\uFFFD"`, and two ids differing only there became one.
 * @module
 */
import { DatasetError } from '../errors.js';

// `ignoreBOM`: a byte order mark is kept as U+FEFF, so the reader decides (only the file's first one is dropped).
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The UTF-8 text of one line read as Latin-1 (`raw`), or a {@link DatasetError} naming `path` and the 1-based
 * `line`. ASCII, most lines of most files, is the same text either way and is returned as is.
 */
export function utf8Line(raw: string, path: string, line: number): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range is the point
  if (/^[\u0000-\u007f]*$/.test(raw)) return raw;
  try {
    return decoder.decode(Buffer.from(raw, 'latin1'));
  } catch (err) {
    throw new DatasetError(
      `${path}:${line}: not valid UTF-8 (save the file as UTF-8; a byte sequence here is not UTF-8 text)`,
      { line, cause: err },
    );
  }
}
