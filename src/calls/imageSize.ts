/**
 * The pixel size of an image read from the first bytes of its file (PNG, JPEG, GIF, WebP), for the token estimate
 * of an image sent to a model. Only the header is read; no pixel is decoded.
 * @module
 * @internal
 */

/** An image's width and height in pixels. @internal */
export interface ImageSize {
  readonly width: number;
  readonly height: number;
}

const u16be = (b: Uint8Array, i: number): number => (b[i] ?? 0) * 256 + (b[i + 1] ?? 0);
const u16le = (b: Uint8Array, i: number): number => (b[i] ?? 0) + (b[i + 1] ?? 0) * 256;
const u24le = (b: Uint8Array, i: number): number => u16le(b, i) + (b[i + 2] ?? 0) * 65_536;
const u32be = (b: Uint8Array, i: number): number => u16be(b, i) * 65_536 + u16be(b, i + 2);
const ascii = (b: Uint8Array, i: number, s: string): boolean => {
  if (b.length < i + s.length) return false;
  for (let k = 0; k < s.length; k++) if (b[i + k] !== s.charCodeAt(k)) return false;
  return true;
};

/** PNG: the signature, then the IHDR chunk, whose data starts with the width and height (big-endian). */
function pngSize(b: Uint8Array): ImageSize | undefined {
  if (!ascii(b, 12, 'IHDR') || b.length < 24) return undefined;
  return { width: u32be(b, 16), height: u32be(b, 20) };
}

/** GIF: the logical screen's width and height (little-endian) right after `GIF87a` / `GIF89a`. */
function gifSize(b: Uint8Array): ImageSize | undefined {
  if (b.length < 10) return undefined;
  return { width: u16le(b, 6), height: u16le(b, 8) };
}

/** WebP: the first chunk after `RIFF....WEBP`, lossy (`VP8 `), lossless (`VP8L`) or extended (`VP8X`). */
function webpSize(b: Uint8Array): ImageSize | undefined {
  if (ascii(b, 12, 'VP8X') && b.length >= 30) return { width: u24le(b, 24) + 1, height: u24le(b, 27) + 1 };
  if (ascii(b, 12, 'VP8L') && b.length >= 25 && b[20] === 0x2f) {
    // 14 bits of width - 1, then 14 bits of height - 1, little-endian from byte 21.
    const bits = (b[21] ?? 0) | ((b[22] ?? 0) << 8) | ((b[23] ?? 0) << 16) | ((b[24] ?? 0) << 24);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  // A key frame: 3 bytes of frame tag, the start code 9d 01 2a, then 14-bit width and height (2 scale bits).
  if (ascii(b, 12, 'VP8 ') && b.length >= 30 && b[23] === 0x9d && b[24] === 0x01 && b[25] === 0x2a)
    return { width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff };
  return undefined;
}

/**
 * JPEG: the segments after SOI, skipped by their lengths, up to the first start-of-frame (SOF0-SOF15 but DHT
 * C4, JPG C8 and DAC CC, which share the range), whose height and width follow the sample precision.
 */
function jpegSize(b: Uint8Array): ImageSize | undefined {
  let i = 2;
  while (i + 3 < b.length) {
    if (b[i] !== 0xff) return undefined;
    const marker = b[i + 1] ?? 0;
    if (marker === 0xff) {
      i++; // fill byte
      continue;
    }
    // Markers without a length: TEM, RST0-7, SOI.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      i += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return undefined; // EOI, or the scan before any frame header
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (i + 9 > b.length) return undefined;
      return { width: u16be(b, i + 7), height: u16be(b, i + 5) };
    }
    i += 2 + u16be(b, i + 2);
  }
  return undefined;
}

/**
 * The width and height of a PNG, JPEG, GIF or WebP image, read from the header at the start of its bytes;
 * `undefined` for another format, a truncated header (a JPEG whose frame header lies past the bytes given) or a
 * size of 0. Reads a few dozen bytes (a JPEG: its segment lengths up to the frame header), decodes no pixel.
 *
 * @param bytes - the file's first bytes (the whole file, or a prefix: 4 KB hold every header but a JPEG's after a
 *   large EXIF or ICC segment).
 * @returns `{ width, height }` in pixels, or `undefined`.
 * @example
 * ```ts
 * _imageSize(readFileSync('photo.png').subarray(0, 4096)); // => { width: 1024, height: 768 }
 * _imageSize(new Uint8Array([1, 2, 3])); // => undefined
 * ```
 * @internal
 */
export function _imageSize(bytes: Uint8Array): ImageSize | undefined {
  const b = bytes;
  let size: ImageSize | undefined;
  if (b[0] === 0x89 && ascii(b, 1, 'PNG\r\n\x1a\n')) size = pngSize(b);
  else if (b[0] === 0xff && b[1] === 0xd8) size = jpegSize(b);
  else if (ascii(b, 0, 'GIF87a') || ascii(b, 0, 'GIF89a')) size = gifSize(b);
  else if (ascii(b, 0, 'RIFF') && ascii(b, 8, 'WEBP')) size = webpSize(b);
  return size !== undefined && size.width > 0 && size.height > 0 ? size : undefined;
}
