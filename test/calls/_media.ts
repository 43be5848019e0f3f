// The image and PDF fixtures of the media tests (fixtures/media.json, written by fixtures/gen_media.py), loaded once
// for every test file that reads them, and a PNG header of any size for the property tests.
import { readFileSync } from 'node:fs';

/** One fixture: the file's bytes (base64) and the size or page count it declares. */
export interface MediaFixture {
  readonly base64: string;
  readonly width?: number;
  readonly height?: number;
  readonly pages?: number;
}

/** Every fixture of fixtures/media.json, by name. */
export const media = JSON.parse(readFileSync(new URL('fixtures/media.json', import.meta.url), 'utf8')) as {
  readonly images: Readonly<Record<string, MediaFixture>>;
  readonly pdfs: Readonly<Record<string, MediaFixture>>;
};

/** The image fixture `name`; throws when there is none (a renamed fixture fails loudly, not as an empty image). */
export function image(name: string): MediaFixture {
  const f = media.images[name];
  if (f === undefined) throw new Error(`no fixture ${name}`);
  return f;
}

/** A 1024 x 1024 PNG, base64: the worked example of OpenAI's vision guide. */
export const png1024 = image('png 1024x1024').base64;
/** A 3-page PDF, base64. */
export const pdf3 = media.pdfs['3 pages']?.base64 ?? '';

/** A PNG signature and IHDR chunk declaring w x h (CRC and pixel data left out: the size is all a reader reads). */
export function pngHeader(w: number, h: number): Buffer {
  const b = Buffer.alloc(33);
  Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]).copy(b);
  b.writeUInt32BE(13, 8);
  b.write('IHDR', 12, 'latin1');
  b.writeUInt32BE(w, 16);
  b.writeUInt32BE(h, 20);
  return b;
}
