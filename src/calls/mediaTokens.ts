import { _imageSize, type ImageSize } from './imageSize.js';

/**
 * Prompt tokens of the images and PDFs in a request, estimated before it is sent from the providers' published
 * accounting, for the TPM limit and the cost estimates (the tokenizer counts text only: an image or a PDF is
 * bytes, not text). An OpenAI-format image counts by the accounting of the request's `model` (OpenAI's families
 * differ up to ~33-fold: {@link _openaiImageTokensFor}). The image's size is read from its header when its bytes
 * are in the request; when they are not (a remote URL, a file id) the estimate is the most the formula can give,
 * so an unknown size never lets a run exceed its limit; bytes that are no image a provider takes count 0 (the
 * provider refuses the request). A PDF counts its pages when its bytes are in the request, and nothing when they
 * are not (see {@link UNREAD_PDF_PAGES}).
 * @module
 * @internal
 */

/**
 * How an OpenAI model counts an image, per OpenAI's vision guide ("Images and vision", section "Calculating costs":
 * platform.openai.com/docs/guides/images-vision, now developers.openai.com/api/docs/guides/images-vision; figures
 * read in three versions of the page, 2025 to 2026). Tiles: `detail: 'low'` costs `base`; `'high'` and `'auto'`
 * scale the image into 2048 x 2048, then its shortest side down to 768 px, and cost `perTile` per 512-px tile plus
 * `base`. Patches: 32-px patches covering the image after the `rules`' scalings, times `multiplier`, rounded up.
 */
type ImageAccounting =
  | { readonly kind: 'tiles'; readonly base: number; readonly perTile: number }
  | { readonly kind: 'patches'; readonly multiplier: number; readonly rules: readonly PatchRule[] };

/**
 * One patch rule of the guide: the image is fitted (not enlarged) within `maxEdge` px, then scaled down to cover at
 * most `budget` patches. A model whose rule changed between versions of the guide lists each, and counts the larger.
 */
interface PatchRule {
  readonly budget: number;
  readonly maxEdge: number;
}

/** gpt-4o, gpt-4.1, gpt-4.5: 85 base tokens (all of `detail: 'low'`) plus 170 per 512-px tile. */
const GPT_4O: ImageAccounting = { kind: 'tiles', base: 85, perTile: 170 };

/**
 * The OpenAI families whose figures the guide gives in full, by model name (a dated snapshot counts as its model).
 * gpt-4.1-mini's budget was 1536 patches (2025), then 6144 within a 2048-px edge (2026): both are kept and the
 * larger count wins. Left out, and so counted by gpt-4o's rule (see {@link _openaiImageTokensFor}): models whose figures are not in the guide
 * (o3-pro, chatgpt-4o-latest, gpt-5-pro, codex models) or changed between its versions with a rule not given in
 * full (gpt-5-mini 1.62 then 1.2, gpt-5-nano 2.46 then 1.5, gpt-5.4-mini / nano 1.62 / 2.46 then 1.2; gpt-5.2,
 * gpt-5.4, gpt-5.5, whose budgets depend on `detail` and changed too).
 */
const OPENAI_FAMILIES: ReadonlyMap<string, ImageAccounting> = new Map<string, ImageAccounting>([
  ['gpt-4o', GPT_4O],
  ['gpt-4.1', GPT_4O],
  ['gpt-4.5-preview', GPT_4O],
  ['gpt-4o-mini', { kind: 'tiles', base: 2833, perTile: 5667 }],
  ...['o1', 'o1-pro', 'o3'].map((m): [string, ImageAccounting] => [
    m,
    { kind: 'tiles', base: 75, perTile: 150 },
  ]),
  ...['gpt-5', 'gpt-5-chat-latest', 'gpt-5.1'].map((m): [string, ImageAccounting] => [
    m,
    { kind: 'tiles', base: 70, perTile: 140 },
  ]),
  ['computer-use-preview', { kind: 'tiles', base: 65, perTile: 129 }],
  [
    'gpt-4.1-mini',
    {
      kind: 'patches',
      multiplier: 1.62,
      rules: [
        { budget: 1536, maxEdge: Number.POSITIVE_INFINITY },
        { budget: 6144, maxEdge: 2048 },
      ],
    },
  ],
  [
    'gpt-4.1-nano',
    { kind: 'patches', multiplier: 2.46, rules: [{ budget: 1536, maxEdge: Number.POSITIVE_INFINITY }] },
  ],
  [
    'o4-mini',
    { kind: 'patches', multiplier: 1.72, rules: [{ budget: 1536, maxEdge: Number.POSITIVE_INFINITY }] },
  ],
]);

/**
 * The most an OpenAI high-detail image can count: 8 tiles (a short side in (512, 768] px and a long side in
 * (1536, 2048] px after the two scalings, e.g. 768 x 2048), 170 * 8 + 85 = 1445. The estimate of an image of
 * unknown size.
 * @internal
 */
export const OPENAI_MAX_IMAGE_TOKENS = GPT_4O.base + 8 * GPT_4O.perTile;

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

/** Tiles of `size` by the tile rule (see {@link ImageAccounting}); `undefined` size: the most, 8. */
function tileCount(size: ImageSize | undefined): number {
  if (size === undefined) return 8;
  let { width: w, height: h } = size;
  const fit = Math.min(1, 2048 / Math.max(w, h));
  w *= fit;
  h *= fit;
  // Only scaled down: an image whose shortest side is under 768 px keeps its size.
  const shortest = Math.min(1, 768 / Math.min(w, h));
  w *= shortest;
  h *= shortest;
  return Math.ceil(w / 512 - 1e-9) * Math.ceil(h / 512 - 1e-9);
}

/**
 * The 32-px patches covering an image after OpenAI's patch-based scaling (its vision guide, "Patch-based image
 * tokenization"): the image is fitted within `maxEdge` px (never enlarged; integer pixels, rounded down); if its
 * patches then exceed `budget`, it is scaled by `sqrt(32^2 * budget / (w * h))`, that factor lowered until each
 * side is a whole number of patches, and the sides rounded down to integer pixels. An image too thin for that
 * scaling to keep a whole patch on its short side counts `budget` (the most it can, never 0).
 *
 * @param size - the image's pixel size.
 * @param budget - the most patches the model takes (1536, 2500, 6144).
 * @param maxEdge - the longest side it takes, in px (`Infinity` where the guide gives none).
 * @returns the patch count, an integer in [1, budget].
 * @example
 * ```ts
 * _imagePatches({ width: 1024, height: 1024 }, 1536, Infinity); // => 1024 (32 x 32)
 * _imagePatches({ width: 1800, height: 2400 }, 1536, Infinity); // => 1452 (1056 x 1408 px: 33 x 44)
 * _imagePatches({ width: 2048, height: 2048 }, 2500, 2048); // => 2500 (1600 x 1600 px)
 * ```
 * @internal
 */
export function _imagePatches(size: ImageSize, budget: number, maxEdge: number): number {
  let { width: w, height: h } = size;
  const fit = maxEdge / Math.max(w, h);
  if (fit < 1) {
    w = Math.max(1, Math.floor(w * fit));
    h = Math.max(1, Math.floor(h * fit));
  }
  const cover = (px: number) => Math.ceil(px / 32);
  if (cover(w) * cover(h) <= budget) return cover(w) * cover(h);
  const shrink = Math.sqrt((32 * 32 * budget) / (w * h));
  const whole = (px: number) => Math.floor((px * shrink) / 32) / ((px * shrink) / 32);
  const scale = shrink * Math.min(whole(w), whole(h));
  if (scale === 0) return budget;
  return Math.min(budget, cover(Math.floor(w * scale)) * cover(Math.floor(h * scale)));
}

/** Tokens of an image by one family's accounting; `undefined` size: the most that family counts. */
function accountedTokens(a: ImageAccounting, size: ImageSize | undefined, detail: unknown): number {
  if (a.kind === 'tiles') return detail === 'low' ? a.base : a.base + a.perTile * tileCount(size);
  // The guide gives patch models one sizing for every `detail` (some newer models count `low` above `high`), so
  // `detail` is not read: counting `high` never falls short of what these models count.
  let patches = 0;
  for (const r of a.rules) {
    const most = Math.min(r.budget, Number.isFinite(r.maxEdge) ? Math.ceil(r.maxEdge / 32) ** 2 : r.budget);
    patches = Math.max(patches, size === undefined ? most : _imagePatches(size, r.budget, r.maxEdge));
  }
  // Rounded up, as the guide's D step does; the tolerance keeps 1000 x 1.2 = 1200.0000000000002 at 1200.
  return Math.ceil(patches * a.multiplier - 1e-9);
}

/**
 * Tokens of an image sent to OpenAI, by the published accounting of the gpt-4o family (OpenAI's vision guide,
 * "Calculating costs"): `detail: 'low'` costs 85; `'high'` and `'auto'` (counted as high) scale the image to fit
 * in 2048 x 2048, then its shortest side down to 768 px, and cost 170 per 512-px tile covering it plus 85. The
 * figure of gpt-4o, gpt-4.1 and gpt-4.5, and of a request without a `model`; other models count by
 * {@link _openaiImageTokensFor}.
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
  return accountedTokens(GPT_4O, size, detail);
}

/** Whether `model` names a model whose image accounting is known here: an OpenAI family or a `claude` model. */
function knownModel(model: unknown): model is string {
  return typeof model === 'string' && (CLAUDE.test(model) || familyOf(model) !== undefined);
}

/** A Claude model's name, bare or behind an `anthropic/` prefix (a gateway's). */
const CLAUDE = /^(?:anthropic\/)?claude/i;

/**
 * The accounting of `model` in {@link OPENAI_FAMILIES}, by its name lower-cased, without an `openai/` prefix and a
 * snapshot date (`gpt-4o-mini-2024-07-18` counts as `gpt-4o-mini`); `undefined` for any other name.
 */
function familyOf(model: string): ImageAccounting | undefined {
  const name = model
    .toLowerCase()
    .replace(/^openai\//, '')
    .replace(/-\d{4}-\d{2}-\d{2}$/, '');
  return OPENAI_FAMILIES.get(name);
}

/**
 * Tokens of an OpenAI-format image (a chat `image_url` part, a Responses `input_image`) for the model the request
 * names, by OpenAI's vision guide ("Images and vision", "Calculating costs"; see {@link OPENAI_FAMILIES}):
 * - tiles (512 px, after fitting in 2048 x 2048 and a 768-px shortest side) plus a base: gpt-4o, gpt-4.1, gpt-4.5
 *   85 + 170 per tile; gpt-4o-mini 2833 + 5667; o1, o1-pro, o3 75 + 150; gpt-5, gpt-5-chat-latest, gpt-5.1
 *   70 + 140; computer-use-preview 65 + 129; `detail: 'low'` costs the base alone;
 * - 32-px patches (at most 1536; gpt-4.1-mini also 6144 within a 2048-px edge) times a multiplier, whatever the
 *   `detail`: gpt-4.1-mini 1.62, gpt-4.1-nano 2.46, o4-mini 1.72;
 * - a `claude` model (Anthropic's OpenAI-compatible endpoint): Anthropic's rule, {@link _anthropicImageTokens};
 * - no `model` (not a string): gpt-4o's rule, {@link _openaiImageTokens};
 * - any other name (an Azure deployment, a compatible server's model, a newer OpenAI model such as gpt-5-mini):
 *   gpt-4o's rule, as for a request without a `model`. Any one rule is a guess for a name not known, and the larger
 *   ones are far off for the rest: counting every such name by the most any family counts (gpt-4o-mini's) would
 *   hold a `tpm` run with images to a few percent of its rate and overstate estimateCost() ~33-fold for a gpt-4o
 *   deployment, and by the patch models' (which ignore `detail`) up to ~78-fold for a `detail: 'low'` image. An
 *   under-count meets the provider's 429 and the limiter's back-off, and the usage the provider returns corrects
 *   the totals; name a deployment by its model (or a dated snapshot of it) to get its figure.
 *
 * @param model - the request's `model` (a dated snapshot counts as its model).
 * @param size - the image's pixel size, or `undefined` when unknown (then the most the model's rule gives).
 * @param detail - the part's `detail` (`'low'`, `'high'`, `'auto'`; anything else counts as `'auto'`).
 * @returns the token count, an integer.
 * @example
 * ```ts
 * _openaiImageTokensFor('gpt-4o', { width: 1024, height: 1024 }, 'auto'); // => 765
 * _openaiImageTokensFor('gpt-4o-mini', { width: 1024, height: 1024 }, 'auto'); // => 25501 (2833 + 4 * 5667)
 * _openaiImageTokensFor('gpt-4.1-nano', { width: 1800, height: 2400 }, 'auto'); // => 3572 (1452 patches * 2.46)
 * _openaiImageTokensFor('my-deployment', { width: 1024, height: 1024 }, 'auto'); // => 765 (gpt-4o's rule)
 * ```
 * @internal
 */
export function _openaiImageTokensFor(model: unknown, size: ImageSize | undefined, detail: unknown): number {
  if (typeof model !== 'string') return _openaiImageTokens(size, detail);
  if (CLAUDE.test(model)) return _anthropicImageTokens(size);
  const family = familyOf(model);
  return accountedTokens(family ?? GPT_4O, size, detail);
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

/**
 * A file part of the AI SDK's prompt, which names no provider: an image counted by the model's accounting when the
 * token source names a model {@link _openaiImageTokensFor} knows (an OpenAI family or a `claude` model), else as
 * the larger of gpt-4o's and Anthropic's formulas; or a PDF.
 */
function sdkFileTokens(mediaType: unknown, data: unknown, model: unknown): number {
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
      knownModel(model)
        ? _openaiImageTokensFor(model, size, 'auto')
        : Math.max(_openaiImageTokens(size, 'auto'), _anthropicImageTokens(size)),
    );
  }
  return mediaType === 'application/pdf' ? pdfTokens(data) : 0;
}

type Part = Record<string, unknown> & {
  image_url?: unknown;
  source?: { type?: unknown; data?: unknown } | null;
  file?: { file_data?: unknown } | null;
};

/** Tokens of one content part when it is an image or a PDF; `undefined` for any other part. `model`: the request's. */
function partTokens(p: Part, model: unknown): number | undefined {
  switch (p.type) {
    case 'image_url': {
      // Chat Completions: `image_url: { url, detail }`.
      const iu = p.image_url as { url?: unknown; detail?: unknown } | string | null | undefined;
      const url = typeof iu === 'string' ? iu : iu?.url;
      const detail = typeof iu === 'object' ? iu?.detail : undefined;
      return imageTokens(url, (size) => _openaiImageTokensFor(model, size, detail));
    }
    case 'input_image': // Responses: `image_url` (a data or https URL) or `file_id`, and `detail`.
      return imageTokens(p.image_url, (size) => _openaiImageTokensFor(model, size, p.detail));
    case 'input_file': // Responses: `file_data`, `file_url` or `file_id`.
      return pdfTokens(p.file_data);
    case 'image':
      // Anthropic: `source` base64 / url / file. The AI SDK's v1 prompt: `image` (bytes or a URL).
      if (p.source != null)
        return imageTokens(p.source.type === 'base64' ? p.source.data : undefined, _anthropicImageTokens);
      return sdkFileTokens(typeof p.mimeType === 'string' ? p.mimeType : 'image/*', p.image, model);
    case 'document': {
      // Anthropic: a PDF (base64, url or file); a text or content document is text, counted by the tokenizer.
      const t = p.source?.type;
      if (t === 'text' || t === 'content') return 0;
      return pdfTokens(t === 'base64' ? p.source?.data : undefined);
    }
    case 'file':
      // Chat Completions: `file: { file_data, file_id }`. The AI SDK: `mediaType` (v1: `mimeType`) and `data`.
      if (p.file != null && typeof p.file === 'object') return pdfTokens(p.file.file_data);
      return sdkFileTokens(p.mediaType ?? p.mimeType, p.data, model);
    default:
      return undefined;
  }
}

/** Fields under which a request nests the parts it sends: messages, their content, input items, tool results. */
const NESTING = ['messages', 'content', 'input', 'system', 'instructions', 'output', 'prompt'] as const;

/** Sums the media tokens of `value` and of the parts nested under {@link NESTING}, to a bounded depth. */
function walk(value: unknown, depth: number, model: unknown): number {
  if (depth > 8 || value === null || typeof value !== 'object') return 0;
  if (Array.isArray(value)) {
    let n = 0;
    for (const item of value) n += walk(item, depth + 1, model);
    return n;
  }
  const own = partTokens(value as Part, model);
  if (own !== undefined) return own;
  let n = 0;
  for (const key of NESTING) n += walk((value as Record<string, unknown>)[key], depth + 1, model);
  return n;
}

/**
 * Prompt tokens of the images and PDFs in a request (chat `image_url` and `file` parts, Responses `input_image` and
 * `input_file`, Anthropic `image` and `document` blocks, tool results that hold them, the AI SDK prompt's `file`
 * and `image` parts), estimated with the providers' published accounting; the text around them is counted by
 * `countPromptTokens`. An image counts by its size, read from the header of its bytes (a few KB of base64
 * decoded), and an OpenAI-format image by the accounting of the request's `model` (gpt-4o 765 for 1024 x 1024,
 * gpt-4o-mini 25,501, gpt-4.1-nano 2520; an unknown name gpt-4o's rule: {@link _openaiImageTokensFor});
 * an image the request does not carry (a URL, a file id) counts the most its formula gives (gpt-4o 1445,
 * Anthropic 1600), bytes that are no PNG, JPEG, GIF or WebP count 0, and an AI SDK image, whose provider is
 * not named, by the accounting of the `model` beside it when known (an OpenAI family, a `claude` model), else the
 * larger of gpt-4o's and Anthropic's formulas. A PDF counts {@link PDF_PAGE_TOKENS} per page
 * ({@link UNREAD_PDF_PAGES} when its pages are not in plain sight; 0 when the request does not carry it).
 *
 * @param request - a request body (`model`, `messages`, `input`, `system`), or an AI SDK token source
 *   (`{ messages: prompt }`).
 * @returns the estimated tokens, an integer >= 0 (0 for a request without images or PDFs).
 * @example
 * ```ts
 * countMediaTokens({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: pngDataUrl1024x1024 } }] }] }); // => 765
 * countMediaTokens({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: pngDataUrl1024x1024 } }] }] }); // => 25501
 * countMediaTokens({ messages: [{ role: 'user', content: 'hi' }] }); // => 0
 * ```
 */
export function countMediaTokens(request: unknown): number {
  const model =
    request !== null && typeof request === 'object' ? (request as { model?: unknown }).model : undefined;
  return walk(request, 0, model);
}
