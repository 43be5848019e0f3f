import { _imageSize, type ImageSize } from './imageSize.js';

/**
 * Prompt tokens of the images and PDFs in a request, estimated before it is sent from the providers' published
 * accounting, for the TPM limit and the cost estimates (the tokenizer counts text only: an image or a PDF is
 * bytes, not text). The image's size is read from its header when its bytes are in the request; when they are
 * not (a remote URL, a file id) the estimate is the most the formula can give, so an unknown size never lets a run
 * exceed its limit; bytes that are no image a provider takes count 0 (the provider refuses the request). A PDF
 * counts its pages when its bytes are in the request, and nothing when they are not (see
 * {@link UNREAD_PDF_PAGES}).
 * @module
 * @internal
 */

/** OpenAI `detail: 'low'`: a fixed 85 tokens, whatever the size. */
const OPENAI_LOW = 85;
/** OpenAI high detail: 85 base tokens plus 170 per 512-px tile. */
const OPENAI_BASE = 85;
const OPENAI_PER_TILE = 170;

/**
 * The most an OpenAI high-detail image can count: 8 tiles (a short side in (512, 768] px and a long side in
 * (1536, 2048] px after the two scalings, e.g. 768 x 2048), 170 * 8 + 85 = 1445. The estimate of an image of
 * unknown size.
 * @internal
 */
export const OPENAI_MAX_IMAGE_TOKENS = OPENAI_BASE + 8 * OPENAI_PER_TILE;

/** Anthropic scales an image down until its long edge is <= 1568 px and it is within ~1600 tokens. */
const ANTHROPIC_MAX_EDGE = 1568;
/** The most an Anthropic image counts after that scaling; the estimate of an image of unknown size. @internal */
export const ANTHROPIC_MAX_IMAGE_TOKENS = 1600;

/**
 * Tokens of one PDF page. Anthropic's PDF guide: each page is sent as its extracted text ("1,500-3,000 tokens
 * per page depending on content density") and as an image (counted as an image, at most ~1600 tokens); the
 * upper ends are summed. OpenAI also sends each page's text and image; the same figure is used.
 * @internal
 */
export const PDF_PAGE_TOKENS = 3000 + ANTHROPIC_MAX_IMAGE_TOKENS;

/**
 * Pages counted for a PDF whose bytes are in the request but whose page objects are not in plain sight (PDF 1.5
 * object streams compress them): one, the fewest a PDF has. A PDF the request does not carry (a URL, a file id)
 * counts nothing: its page count is unknown and unbounded, and a guess would hold back or overshoot a limit by an
 * arbitrary amount; its tokens are counted when the provider's usage comes back.
 * @internal
 */
export const UNREAD_PDF_PAGES = 1;

/** The most pages a provider takes in one request (Anthropic: 100); a higher count is capped here. */
const MAX_PDF_PAGES = 100;

/**
 * Tokens of an image sent to OpenAI, by the published accounting of the gpt-4o family (OpenAI's vision guide,
 * "Calculating costs"): `detail: 'low'` costs 85; `'high'` and `'auto'` (counted as high) scale the image to fit
 * in 2048 x 2048, then its shortest side down to 768 px, and cost 170 per 512-px tile covering it plus 85. Other
 * families count differently (gpt-4.1-mini / nano and the o-series by 32-px patches, with multipliers up to 2.46),
 * so this is the gpt-4o figure, not every model's.
 *
 * @param size - the image's pixel size, or `undefined` when unknown (then {@link OPENAI_MAX_IMAGE_TOKENS}).
 * @param detail - the part's `detail` (`'low'`, `'high'`, `'auto'`; anything else counts as `'auto'`).
 * @returns the token count, an integer.
 * @example
 * ```ts
 * _openaiImageTokens({ width: 1024, height: 1024 }, 'high'); // => 765 (768 x 768: 4 tiles)
 * _openaiImageTokens({ width: 2048, height: 4096 }, 'high'); // => 1105 (768 x 1536: 6 tiles)
 * _openaiImageTokens({ width: 4096, height: 8192 }, 'low'); // => 85
 * ```
 * @internal
 */
export function _openaiImageTokens(size: ImageSize | undefined, detail: unknown): number {
  if (detail === 'low') return OPENAI_LOW;
  if (size === undefined) return OPENAI_MAX_IMAGE_TOKENS;
  let { width: w, height: h } = size;
  const fit = Math.min(1, 2048 / Math.max(w, h));
  w *= fit;
  h *= fit;
  // Only scaled down: an image whose shortest side is under 768 px keeps its size.
  const shortest = Math.min(1, 768 / Math.min(w, h));
  w *= shortest;
  h *= shortest;
  return OPENAI_BASE + OPENAI_PER_TILE * Math.ceil(w / 512 - 1e-9) * Math.ceil(h / 512 - 1e-9);
}

/**
 * Tokens of an image sent to Anthropic, by its vision guide's estimate `width * height / 750` after the image is
 * scaled down (aspect ratio kept) until its long edge is <= 1568 px and it is within ~1600 tokens; rounded up.
 *
 * @param size - the image's pixel size, or `undefined` when unknown (then {@link ANTHROPIC_MAX_IMAGE_TOKENS}).
 * @returns the token count, an integer in [1, 1600].
 * @example
 * ```ts
 * _anthropicImageTokens({ width: 1000, height: 1000 }); // => 1334 (the guide: ~1334)
 * _anthropicImageTokens({ width: 200, height: 200 }); // => 54 (the guide: ~54)
 * ```
 * @internal
 */
export function _anthropicImageTokens(size: ImageSize | undefined): number {
  if (size === undefined) return ANTHROPIC_MAX_IMAGE_TOKENS;
  const edge = Math.min(1, ANTHROPIC_MAX_EDGE / Math.max(size.width, size.height));
  const tokens = (size.width * edge * size.height * edge) / 750;
  return Math.min(ANTHROPIC_MAX_IMAGE_TOKENS, Math.ceil(tokens - 1e-9));
}

/** Bytes that may follow a PDF name: whitespace or a delimiter (a name ends there), or the end of the file. */
function endsName(byte: number | undefined): boolean {
  return byte === undefined || ' \t\r\n\f\0/<>[]()%{}'.includes(String.fromCharCode(byte));
}

/**
 * The pages of a PDF, counted as its `/Type /Page` objects (not `/Pages`, the page tree's nodes) by a byte search
 * that decodes nothing; capped at 100 (the provider's limit; an incrementally updated file repeats objects).
 * `undefined` when the bytes are not a PDF or hold no page object in plain sight (PDF 1.5 object streams compress
 * them).
 *
 * @param bytes - the whole PDF.
 * @returns the page count, or `undefined`.
 * @example
 * ```ts
 * _pdfPageCount(readFileSync('three-pages.pdf')); // => 3
 * ```
 * @internal
 */
export function _pdfPageCount(bytes: Uint8Array): number | undefined {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.indexOf('%PDF-') !== 0) return undefined;
  let pages = 0;
  for (let i = b.indexOf('/Type'); i >= 0; i = b.indexOf('/Type', i + 5)) {
    let j = i + 5;
    while (j < b.length && ' \t\r\n\f\0'.includes(String.fromCharCode(b[j] ?? 0))) j++;
    if (b.toString('latin1', j, j + 5) === '/Page' && endsName(b[j + 5])) pages++;
  }
  return pages === 0 ? undefined : Math.min(pages, MAX_PDF_PAGES);
}

/**
 * The bytes a request carries for an image or a file, at most `max` of them: a `Uint8Array` (a Buffer), an
 * ArrayBuffer, a base64 data URL or a bare base64 string; `undefined` for a remote URL, a URL object or
 * anything else. Only the base64 text of the bytes asked for is decoded.
 */
function bytesOf(data: unknown, max: number): Uint8Array | undefined {
  if (data instanceof Uint8Array) return data.subarray(0, max);
  if (data instanceof ArrayBuffer) return new Uint8Array(data, 0, Math.min(max, data.byteLength));
  if (typeof data !== 'string') return undefined;
  let start = 0;
  if (data.startsWith('data:')) {
    const comma = data.indexOf(',');
    if (comma < 0 || !data.slice(0, comma).endsWith(';base64')) return undefined;
    start = comma + 1;
  } else if (/^[a-z][a-z0-9+.-]*:/i.test(data)) return undefined; // https:, file ids are not base64 bytes
  const chars = Math.ceil(max / 3) * 4;
  return Buffer.from(data.slice(start, start + chars), 'base64');
}

/**
 * The size of the image in `data`, read from its first 4 KB (up to 256 KB for a JPEG: EXIF and ICC segments come
 * first); `'remote'` when the request does not carry its bytes (a URL, a file id), `'unreadable'` when it carries
 * bytes that are no PNG, JPEG, GIF or WebP (the formats the providers take).
 */
function imageSizeOf(data: unknown): ImageSize | 'remote' | 'unreadable' {
  const head = bytesOf(data, 4096);
  if (head === undefined) return 'remote';
  let size = _imageSize(head);
  if (size === undefined && head.length >= 4096 && head[0] === 0xff && head[1] === 0xd8)
    size = _imageSize(bytesOf(data, 262_144) ?? head);
  return size ?? 'unreadable';
}

/**
 * Tokens of the image in `data` by `formula`: by its size when its header is read, the formula's maximum when the
 * request does not carry its bytes (an image counts a bounded number of tokens, so the maximum is a safe figure),
 * and 0 for bytes that are no image the providers take (they refuse the request and count nothing).
 */
function imageTokens(data: unknown, formula: (size: ImageSize | undefined) => number): number {
  const size = imageSizeOf(data);
  return size === 'unreadable' ? 0 : formula(size === 'remote' ? undefined : size);
}

/**
 * Tokens of a PDF in `data`: its pages, or {@link UNREAD_PDF_PAGES} when they are not in plain sight; 0 for bytes
 * that are not a PDF and for a PDF the request does not carry (see {@link UNREAD_PDF_PAGES}).
 */
function pdfTokens(data: unknown): number {
  const bytes = bytesOf(data, Number.POSITIVE_INFINITY);
  if (bytes === undefined || bytes.length === 0) return 0;
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024));
  // A file that is not a PDF (plain text, CSV) is not estimated here.
  if (head.indexOf('%PDF-') < 0) return 0;
  return (_pdfPageCount(bytes) ?? UNREAD_PDF_PAGES) * PDF_PAGE_TOKENS;
}

/** A file part of an unknown provider (the AI SDK's): an image counted as the larger of the two formulas, or a PDF. */
function sdkFileTokens(mediaType: unknown, data: unknown): number {
  if (typeof mediaType !== 'string') return 0;
  // Specification v4 tags the data: `{ type: 'data', data }`, `{ type: 'url' | 'reference' }` (bytes unknown here)
  // or `{ type: 'text', text }` (a text document, not an image or a PDF).
  const tagged =
    data !== null &&
    typeof data === 'object' &&
    !(data instanceof Uint8Array) &&
    !(data instanceof ArrayBuffer) &&
    !(data instanceof URL);
  const tag = tagged ? (data as { type?: unknown }).type : undefined;
  if (tag === 'text') return 0;
  if (tagged) data = tag === 'data' ? (data as { data?: unknown }).data : undefined;
  if (mediaType === 'image' || mediaType.startsWith('image/')) {
    return imageTokens(data, (size) =>
      Math.max(_openaiImageTokens(size, 'auto'), _anthropicImageTokens(size)),
    );
  }
  return mediaType === 'application/pdf' ? pdfTokens(data) : 0;
}

type Part = Record<string, unknown> & {
  image_url?: unknown;
  source?: { type?: unknown; data?: unknown } | null;
  file?: { file_data?: unknown } | null;
};

/** Tokens of one content part when it is an image or a PDF; `undefined` for any other part. */
function partTokens(p: Part): number | undefined {
  switch (p.type) {
    case 'image_url': {
      // Chat Completions: `image_url: { url, detail }`.
      const iu = p.image_url as { url?: unknown; detail?: unknown } | string | null | undefined;
      const url = typeof iu === 'string' ? iu : iu?.url;
      const detail = typeof iu === 'object' ? iu?.detail : undefined;
      return imageTokens(url, (size) => _openaiImageTokens(size, detail));
    }
    case 'input_image': // Responses: `image_url` (a data or https URL) or `file_id`, and `detail`.
      return imageTokens(p.image_url, (size) => _openaiImageTokens(size, p.detail));
    case 'input_file': // Responses: `file_data`, `file_url` or `file_id`.
      return pdfTokens(p.file_data);
    case 'image':
      // Anthropic: `source` base64 / url / file. The AI SDK's v1 prompt: `image` (bytes or a URL).
      if (p.source != null)
        return imageTokens(p.source.type === 'base64' ? p.source.data : undefined, _anthropicImageTokens);
      return sdkFileTokens(typeof p.mimeType === 'string' ? p.mimeType : 'image/*', p.image);
    case 'document': {
      // Anthropic: a PDF (base64, url or file); a text or content document is text, counted by the tokenizer.
      const t = p.source?.type;
      if (t === 'text' || t === 'content') return 0;
      return pdfTokens(t === 'base64' ? p.source?.data : undefined);
    }
    case 'file':
      // Chat Completions: `file: { file_data, file_id }`. The AI SDK: `mediaType` (v1: `mimeType`) and `data`.
      if (p.file != null && typeof p.file === 'object') return pdfTokens(p.file.file_data);
      return sdkFileTokens(p.mediaType ?? p.mimeType, p.data);
    default:
      return undefined;
  }
}

/** Fields under which a request nests the parts it sends: messages, their content, input items, tool results. */
const NESTING = ['messages', 'content', 'input', 'system', 'instructions', 'output', 'prompt'] as const;

/** Sums the media tokens of `value` and of the parts nested under {@link NESTING}, to a bounded depth. */
function walk(value: unknown, depth: number): number {
  if (depth > 8 || value === null || typeof value !== 'object') return 0;
  if (Array.isArray(value)) {
    let n = 0;
    for (const item of value) n += walk(item, depth + 1);
    return n;
  }
  const own = partTokens(value as Part);
  if (own !== undefined) return own;
  let n = 0;
  for (const key of NESTING) n += walk((value as Record<string, unknown>)[key], depth + 1);
  return n;
}

/**
 * Prompt tokens of the images and PDFs in a request (chat `image_url` and `file` parts, Responses `input_image` and
 * `input_file`, Anthropic `image` and `document` blocks, tool results that hold them, the AI SDK prompt's `file`
 * and `image` parts), estimated with the providers' published accounting; the text around them is counted by
 * `countPromptTokens`. An image counts by its size, read from the header of its bytes (a few KB of base64
 * decoded); an image the request does not carry (a URL, a file id) counts the most its formula gives (OpenAI
 * 1445, Anthropic 1600), bytes that are no PNG, JPEG, GIF or WebP count 0, and an AI SDK image, whose provider is
 * not known here, the larger of the two formulas. A PDF counts {@link PDF_PAGE_TOKENS} per page
 * ({@link UNREAD_PDF_PAGES} when its pages are not in plain sight; 0 when the request does not carry it).
 *
 * @param request - a request body (`messages`, `input`, `system`), or an AI SDK token source (`{ messages: prompt }`).
 * @returns the estimated tokens, an integer >= 0 (0 for a request without images or PDFs).
 * @example
 * ```ts
 * countMediaTokens({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: pngDataUrl1024x1024 } }] }] }); // => 765
 * countMediaTokens({ messages: [{ role: 'user', content: 'hi' }] }); // => 0
 * ```
 */
export function countMediaTokens(request: unknown): number {
  return walk(request, 0);
}
