// The tokens of a request's images and PDFs, estimated before it is sent (countMediaTokens), and the image size
// reader under it (_imageSize): each request shape's image and file parts, the header of each image format, and
// the providers' formulas.
//
// The fixtures (test/calls/fixtures/media.json) are written by gen_media.py with the Python standard library; the
// formulas are checked against the worked examples of the providers' guides:
// - OpenAI, "Images and vision" guide, section "Calculating costs" (platform.openai.com/docs/guides/vision,
//   gpt-4o family): 1024 x 1024 high -> 765, 2048 x 4096 high -> 1105, 4096 x 8192 low -> 85.
// - Anthropic, "Vision" guide, section "Evaluate image size" (docs.anthropic.com/en/docs/build-with-claude/vision):
//   tokens = width * height / 750; 200 x 200 -> ~54, 1000 x 1000 -> ~1334, 1092 x 1092 -> ~1590; images whose long
//   edge is over 1568 px or over ~1600 tokens are scaled down first.
// - Anthropic, "PDF support", section "Estimate your costs": 1,500-3,000 text tokens per page plus each page as an
//   image.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { _imageSize } from '../../src/calls/imageSize.js';
import {
  _anthropicImageTokens,
  _openaiImageTokens,
  _pdfPageCount,
  ANTHROPIC_MAX_IMAGE_TOKENS,
  countMediaTokens,
  OPENAI_MAX_IMAGE_TOKENS,
  PDF_PAGE_TOKENS,
  UNREAD_PDF_PAGES,
} from '../../src/calls/mediaTokens.js';
import { image, media, pdf3, png1024, pngHeader } from './_media.js';

const chat = (...parts: object[]) => ({
  model: 'gpt-4o',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'What is in this picture?' }, ...parts] }],
});

describe('countMediaTokens counts the images and PDFs of a request', () => {
  it('OpenAI chat: a 1024 x 1024 PNG data URL counts 765 (high / auto), 85 (low); text parts count nothing here', () => {
    const url = `data:image/png;base64,${png1024}`;
    expect(countMediaTokens(chat({ type: 'image_url', image_url: { url } }))).toBe(765);
    expect(countMediaTokens(chat({ type: 'image_url', image_url: { url, detail: 'high' } }))).toBe(765);
    expect(countMediaTokens(chat({ type: 'image_url', image_url: { url, detail: 'low' } }))).toBe(85);
    expect(
      countMediaTokens(
        chat({ type: 'image_url', image_url: { url } }, { type: 'image_url', image_url: { url } }),
      ),
    ).toBe(2 * 765);
    expect(countMediaTokens(chat())).toBe(0);
  });

  it('an https URL or a file id (size unknown) counts the most the formula gives', () => {
    const url = 'https://example.com/cat.png';
    expect(countMediaTokens(chat({ type: 'image_url', image_url: { url } }))).toBe(OPENAI_MAX_IMAGE_TOKENS);
    expect(countMediaTokens(chat({ type: 'image_url', image_url: { url, detail: 'low' } }))).toBe(85);
    const responses = (part: object) => countMediaTokens({ input: [{ role: 'user', content: [part] }] });
    expect(
      responses({ type: 'input_image', image_url: `data:image/png;base64,${png1024}`, detail: 'auto' }),
    ).toBe(765);
    expect(responses({ type: 'input_image', file_id: 'file-1', detail: 'high' })).toBe(
      OPENAI_MAX_IMAGE_TOKENS,
    );
    // A function call's output may hold an image too.
    expect(
      countMediaTokens({
        input: [
          { type: 'function_call_output', call_id: 'c', output: [{ type: 'input_image', file_id: 'f' }] },
        ],
      }),
    ).toBe(OPENAI_MAX_IMAGE_TOKENS);
  });

  it('Anthropic image blocks (base64, url) and PDF documents (3 pages read from the bytes; a URL: nothing)', () => {
    const claude = (block: object) => countMediaTokens({ messages: [{ role: 'user', content: [block] }] });
    const png = { type: 'base64', media_type: 'image/png', data: png1024 };
    // 1024 x 1024 / 750 = 1398.1 -> 1399.
    expect(claude({ type: 'image', source: png })).toBe(1399);
    expect(claude({ type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } })).toBe(
      ANTHROPIC_MAX_IMAGE_TOKENS,
    );
    expect(
      claude({ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: pdf3 } }),
    ).toBe(3 * PDF_PAGE_TOKENS);
    // A PDF the request does not carry: its pages are unknown and unbounded, counted when the usage comes back.
    expect(claude({ type: 'document', source: { type: 'url', url: 'https://example.com/a.pdf' } })).toBe(0);
    // A PDF whose page objects are not in plain sight (compressed object streams): one page, the fewest it has.
    const hidden = Buffer.from(
      '%PDF-1.7\n1 0 obj <</Type /ObjStm /N 3>> stream\nxx\nendstream endobj\n%%EOF\n',
    );
    expect(
      claude({
        type: 'document',
        source: { type: 'base64', media_type: 'application/pdf', data: hidden.toString('base64') },
      }),
    ).toBe(UNREAD_PDF_PAGES * PDF_PAGE_TOKENS);
    // Bytes that are no PNG, JPEG, GIF or WebP: the provider refuses the request, so they count nothing.
    const junk = Buffer.alloc(5000, 7).toString('base64');
    expect(claude({ type: 'image', source: { type: 'base64', media_type: 'image/png', data: junk } })).toBe(
      0,
    );
    expect(
      countMediaTokens(chat({ type: 'image_url', image_url: { url: `data:image/png;base64,${junk}` } })),
    ).toBe(0);
    // A text document is text (the tokenizer counts it); an image inside a tool result is prompt all the same.
    expect(claude({ type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'hi' } })).toBe(
      0,
    );
    expect(claude({ type: 'tool_result', tool_use_id: 't', content: [{ type: 'image', source: png }] })).toBe(
      1399,
    );
  });

  it('OpenAI PDFs: a chat `file` part and a Responses `input_file` count their pages', () => {
    const data = `data:application/pdf;base64,${pdf3}`;
    expect(countMediaTokens(chat({ type: 'file', file: { file_data: data, filename: 'a.pdf' } }))).toBe(
      3 * PDF_PAGE_TOKENS,
    );
    expect(
      countMediaTokens({ input: [{ role: 'user', content: [{ type: 'input_file', file_data: data }] }] }),
    ).toBe(3 * PDF_PAGE_TOKENS);
    // A text file is not a PDF: not estimated here.
    expect(
      countMediaTokens({
        input: [
          { role: 'user', content: [{ type: 'input_file', file_data: 'data:text/plain;base64,aGk=' }] },
        ],
      }),
    ).toBe(0);
  });

  it('the AI SDK prompt: file parts (bytes, base64, v4 tagged data, URL) count the larger of the two formulas', () => {
    const bytes = Buffer.from(png1024, 'base64');
    const both = Math.max(765, 1399);
    const sdk = (part: object) => countMediaTokens({ messages: [{ role: 'user', content: [part] }] });
    expect(sdk({ type: 'file', mediaType: 'image/png', data: new Uint8Array(bytes) })).toBe(both);
    expect(sdk({ type: 'file', mediaType: 'image/png', data: png1024 })).toBe(both);
    expect(sdk({ type: 'file', mediaType: 'image', data: { type: 'data', data: bytes } })).toBe(both);
    expect(sdk({ type: 'file', mediaType: 'image/png', data: new URL('https://example.com/a.png') })).toBe(
      Math.max(OPENAI_MAX_IMAGE_TOKENS, ANTHROPIC_MAX_IMAGE_TOKENS),
    );
    expect(sdk({ type: 'image', image: bytes })).toBe(both);
    expect(sdk({ type: 'file', mediaType: 'application/pdf', data: pdf3 })).toBe(3 * PDF_PAGE_TOKENS);
    expect(sdk({ type: 'file', mediaType: 'text/plain', data: { type: 'text', text: 'hi' } })).toBe(0);
  });
});

describe('_imageSize reads the header of PNG, JPEG, GIF and WebP files', () => {
  it.each(Object.entries(media.images))('%s', (_name, f) => {
    expect(_imageSize(Buffer.from(f.base64, 'base64'))).toEqual({ width: f.width, height: f.height });
  });

  it('a JPEG frame header past 4 KB (after a 30 KB Exif segment) is still read by the estimate', () => {
    const f = image('jpeg 1920x1080 after a 30 KB Exif segment');
    expect(_imageSize(Buffer.from(f.base64, 'base64').subarray(0, 4096))).toBeUndefined();
    expect(_openaiImageTokens(undefined, 'auto')).toBe(OPENAI_MAX_IMAGE_TOKENS);
    // 1920 x 1080 -> 1365.3 x 768: 3 x 2 tiles.
    expect(
      countMediaTokens(chat({ type: 'image_url', image_url: { url: `data:image/jpeg;base64,${f.base64}` } })),
    ).toBe(85 + 170 * 6);
  });

  it('other bytes, truncated headers and a 0 size give undefined; no prefix of a fixture throws', () => {
    expect(_imageSize(new Uint8Array())).toBeUndefined();
    expect(_imageSize(Buffer.from('%PDF-1.4'))).toBeUndefined();
    expect(_imageSize(Buffer.alloc(500, 7))).toBeUndefined();
    expect(_imageSize(pngHeader(0, 10))).toBeUndefined();
    for (const f of Object.values(media.images)) {
      const b = Buffer.from(f.base64, 'base64');
      for (let n = 0; n < Math.min(b.length, 200); n++) {
        const size = _imageSize(b.subarray(0, n));
        if (size !== undefined) expect(size).toEqual({ width: f.width, height: f.height });
      }
    }
  });
});

describe("the providers' formulas, on their guides' worked examples", () => {
  it('OpenAI (gpt-4o family): 765, 1105, 85; 1445 at most', () => {
    expect(_openaiImageTokens({ width: 1024, height: 1024 }, 'high')).toBe(765);
    expect(_openaiImageTokens({ width: 2048, height: 4096 }, 'high')).toBe(1105);
    expect(_openaiImageTokens({ width: 4096, height: 8192 }, 'low')).toBe(85);
    expect(_openaiImageTokens({ width: 2048, height: 4096 }, 'auto')).toBe(1105);
    // Below 768 px nothing is scaled up: a 512 x 512 image is one tile.
    expect(_openaiImageTokens({ width: 512, height: 512 }, 'high')).toBe(255);
    // The maximum, 8 tiles, e.g. 768 x 2048, over a grid of sizes.
    expect(_openaiImageTokens({ width: 768, height: 2048 }, 'high')).toBe(OPENAI_MAX_IMAGE_TOKENS);
    let max = 0;
    for (let w = 16; w <= 6000; w += 37)
      for (let h = 16; h <= 6000; h += 41)
        max = Math.max(max, _openaiImageTokens({ width: w, height: h }, 'auto'));
    expect(max).toBe(OPENAI_MAX_IMAGE_TOKENS);
    expect(OPENAI_MAX_IMAGE_TOKENS).toBe(1445);
  });

  it('Anthropic: ~54, ~1334, ~1590; scaled to a 1568-px long edge and ~1600 tokens', () => {
    expect(_anthropicImageTokens({ width: 200, height: 200 })).toBe(54);
    expect(_anthropicImageTokens({ width: 1000, height: 1000 })).toBe(1334);
    expect(_anthropicImageTokens({ width: 1092, height: 1092 })).toBe(1590);
    // 784 x 1568 (the guide's 1:2 size) is within the edge; 3136 x 392 scales to 1568 x 196: 409.8 -> 410.
    expect(_anthropicImageTokens({ width: 784, height: 1568 })).toBe(1600);
    expect(_anthropicImageTokens({ width: 3136, height: 392 })).toBe(410);
    expect(_anthropicImageTokens({ width: 8000, height: 8000 })).toBe(ANTHROPIC_MAX_IMAGE_TOKENS);
  });

  it('PDF pages: /Type /Page objects, not the /Pages tree; none readable gives undefined', () => {
    for (const [name, f] of Object.entries(media.pdfs))
      expect(_pdfPageCount(Buffer.from(f.base64, 'base64')), name).toBe(f.pages);
    expect(_pdfPageCount(Buffer.from('%PDF-1.7\n1 0 obj <</Type /ObjStm>> endobj'))).toBeUndefined();
    expect(_pdfPageCount(Buffer.from('<</Type /Page>>'))).toBeUndefined(); // not a PDF
  });
});

describe('properties (seeded)', () => {
  const side = fc.integer({ min: 1, max: 12_000 });

  it('an image never counts above the unknown-size figure, a larger copy (same aspect) never counts less, and its header is read', () => {
    fc.assert(
      fc.property(
        side,
        side,
        fc.integer({ min: 1, max: 8 }),
        fc.constantFrom('low', 'high', 'auto'),
        (w, h, k, detail) => {
          const small = { width: w, height: h };
          // An integer factor keeps the aspect ratio exact (a rounded side would change it, and the count with it).
          const large = { width: w * k, height: h * k };
          // Per-side monotonicity does not hold for the providers' own formulas (768 x 1600 counts 8 OpenAI
          // tiles, 800 x 1600 six): the image is rescaled to a fixed short side. Scaling both sides together does.
          expect(_openaiImageTokens(large, detail)).toBeGreaterThanOrEqual(_openaiImageTokens(small, detail));
          expect(_anthropicImageTokens(large)).toBeGreaterThanOrEqual(_anthropicImageTokens(small));
          expect(_openaiImageTokens(small, detail)).toBeLessThanOrEqual(OPENAI_MAX_IMAGE_TOKENS);
          expect(_anthropicImageTokens(small)).toBeLessThanOrEqual(ANTHROPIC_MAX_IMAGE_TOKENS);
          const url = `data:image/png;base64,${pngHeader(w, h).toString('base64')}`;
          expect(countMediaTokens(chat({ type: 'image_url', image_url: { url, detail } }))).toBe(
            _openaiImageTokens(small, detail),
          );
        },
      ),
      { seed: 33, numRuns: 400 },
    );
  });
});
