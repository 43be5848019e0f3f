// An image's tokens depend on the model it is sent to. Regression: every OpenAI-format image was counted by the
// gpt-4o rule (85 + 170 per 512-px tile), whatever the request's `model`, so a 1024 x 1024 PNG sent to gpt-4o-mini
// was estimated at 765 tokens where OpenAI counts 25,501 (2833 + 4 x 5667): a `tpm` limit let ~33 times its tokens
// through, and estimateCost() priced an image-heavy dataset ~33 times too low.
//
// Figures: OpenAI's "Images and vision" guide, section "Calculating costs"
// (platform.openai.com/docs/guides/images-vision, now developers.openai.com/api/docs/guides/images-vision), as
// read in three stored versions of the page (2025 and 2026): base / tile tokens 85 / 170 (gpt-4o, gpt-4.1,
// gpt-4.5), 2833 / 5667 (gpt-4o-mini), 75 / 150 (o1, o1-pro, o3), 70 / 140 (gpt-5, gpt-5-chat-latest, gpt-5.1),
// 65 / 129 (computer-use-preview); 32-px patches times 1.62 (gpt-4.1-mini), 2.46 (gpt-4.1-nano), 1.72 (o4-mini),
// with the guide's worked examples 1024 x 1024 -> 1024 patches and 1800 x 2400 -> 1452 patches (1536-patch
// budget), and 2048 x 2048 -> 2500 patches (2500-patch budget, 2048-px edge).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { _estimateRequestTokens, countPromptTokens } from '../../src/calls/estimateTokens.js';
import { _imagePatches, _openaiImageTokensFor, countMediaTokens } from '../../src/calls/mediaTokens.js';
import { estimateCost } from '../../src/providers/estimateCost.js';
import { image, png1024, pngHeader } from './_media.js';

const png1800x2400 = image('png 1800x2400').base64;
const dataUrl = (base64: string) => `data:image/png;base64,${base64}`;
const chat = (model: string | undefined, url: string, detail?: string) => ({
  ...(model === undefined ? {} : { model }),
  max_tokens: 0,
  messages: [
    {
      role: 'user',
      content: [
        { type: 'text', text: 'What is in this picture?' },
        { type: 'image_url', image_url: detail === undefined ? { url } : { url, detail } },
      ],
    },
  ],
});
const media = (model: string | undefined, url: string, detail?: string) =>
  countMediaTokens(chat(model, url, detail));

describe('the guide’s patch counts (32-px patches, a patch budget, a longest edge)', () => {
  it('1024 x 1024 -> 1024 patches; 1800 x 2400 -> 1452 (1536 budget); 2048 x 2048 -> 2500 (2500 budget, 2048 px)', () => {
    expect(_imagePatches({ width: 1024, height: 1024 }, 1536, Number.POSITIVE_INFINITY)).toBe(1024);
    expect(_imagePatches({ width: 1800, height: 2400 }, 1536, Number.POSITIVE_INFINITY)).toBe(1452);
    expect(_imagePatches({ width: 2400, height: 1800 }, 1536, Number.POSITIVE_INFINITY)).toBe(1452);
    expect(_imagePatches({ width: 2048, height: 2048 }, 2500, 2048)).toBe(2500);
    expect(_imagePatches({ width: 1024, height: 1024 }, 2500, 2048)).toBe(1024);
    // The edge limit first: 4000 x 1474 fits in 2048 x 754 (64 x 24 patches).
    expect(_imagePatches({ width: 4000, height: 1474 }, 6144, 2048)).toBe(1536);
    // An image too thin for the budget's scaling to leave a whole patch counts the whole budget, never 0.
    expect(_imagePatches({ width: 100_000, height: 1 }, 1536, Number.POSITIVE_INFINITY)).toBe(1536);
  });
});

describe('countMediaTokens counts an OpenAI image by the request’s model', () => {
  const url = dataUrl(png1024);

  it('tile families: gpt-4o-mini 2833 + 5667 per tile (25,501 for 1024 x 1024), o3, gpt-5, computer-use-preview', () => {
    expect(media('gpt-4o-mini', url)).toBe(2833 + 4 * 5667);
    expect(media('gpt-4o-mini', url, 'high')).toBe(25_501);
    expect(media('gpt-4o-mini', url, 'low')).toBe(2833);
    expect(media('gpt-4o-mini-2024-07-18', url)).toBe(25_501);
    expect(media('gpt-4o-mini', 'https://example.com/a.png')).toBe(2833 + 8 * 5667);
    expect(media('o3', url)).toBe(75 + 4 * 150);
    expect(media('o1-pro', url, 'low')).toBe(75);
    expect(media('gpt-5', url)).toBe(70 + 4 * 140);
    expect(media('gpt-5-2025-08-07', url)).toBe(630);
    expect(media('computer-use-preview', url)).toBe(65 + 4 * 129);
    expect(media('gpt-4.1', url)).toBe(765);
    expect(media('gpt-4o-2024-08-06', url)).toBe(765);
  });

  it('patch families: patches times 1.62 (gpt-4.1-mini), 2.46 (gpt-4.1-nano), 1.72 (o4-mini), rounded up', () => {
    expect(media('gpt-4.1-nano', url)).toBe(Math.ceil(1024 * 2.46));
    expect(media('gpt-4.1-nano-2025-04-14', dataUrl(png1800x2400))).toBe(Math.ceil(1452 * 2.46));
    expect(media('o4-mini', url)).toBe(Math.ceil(1024 * 1.72));
    expect(media('o4-mini', dataUrl(png1800x2400), 'low')).toBe(Math.ceil(1452 * 1.72));
    expect(media('gpt-4.1-mini', url)).toBe(Math.ceil(1024 * 1.62));
    // gpt-4.1-mini's budget was 1536 patches, then 6144 within a 2048-px edge: the larger count of the two.
    expect(media('gpt-4.1-mini', dataUrl(png1800x2400))).toBe(Math.ceil(48 * 64 * 1.62));
    expect(media('gpt-4.1-mini', 'https://example.com/a.png')).toBe(Math.ceil(64 * 64 * 1.62));
  });

  it('an unknown model and no model count gpt-4o’s rule; a Claude model Anthropic’s rule', () => {
    expect(media('my-azure-deployment', url)).toBe(765);
    expect(media('gpt-5-mini', url, 'low')).toBe(85);
    expect(media('claude-sonnet-4-5', url)).toBe(1399);
    expect(media(undefined, url)).toBe(765);
  });
});

describe('the TPM estimate and estimateCost count the model’s figure', () => {
  it('_estimateRequestTokens: gpt-4o-mini with a 1024 x 1024 PNG is 25,501 above its text', () => {
    const url = dataUrl(png1024);
    // The text alone, as the tokenizer counts it (it reads no base64).
    const text = countPromptTokens(chat('gpt-4o-mini', url));
    expect(_estimateRequestTokens(chat('gpt-4o-mini', url), 0)).toBe(text + 25_501);
    expect(_estimateRequestTokens(chat('gpt-4.1-nano', dataUrl(png1800x2400)), 0)).toBe(text + 3572);
  });

  it('estimateCost: gpt-4o-mini counts 25,501 per 1024 x 1024 image, gpt-4.1-nano 3572 per 1800 x 2400', async () => {
    const cost = async (model: string, base64: string | undefined) => {
      const content =
        base64 === undefined ? [] : [{ type: 'image_url', image_url: { url: dataUrl(base64) } }];
      return (await estimateCost([{ input: 'x' }], { model, prompt: () => [{ role: 'user', content }] }))
        .inputTokens;
    };
    expect((await cost('gpt-4o-mini', png1024)) - (await cost('gpt-4o-mini', undefined))).toBe(25_501);
    expect((await cost('gpt-4.1-nano', png1800x2400)) - (await cost('gpt-4.1-nano', undefined))).toBe(3572);
  });
});

describe('properties (seeded)', () => {
  const known = [
    'gpt-4o',
    'gpt-4o-mini',
    'gpt-4.1',
    'gpt-4.1-mini',
    'gpt-4.1-nano',
    'o1',
    'o3',
    'o4-mini',
    'gpt-5',
    'gpt-5.1',
    'computer-use-preview',
  ];
  const side = fc.integer({ min: 1, max: 12_000 });

  it('an unknown model counts as gpt-4o; a snapshot counts as its model; patches stay in budget', () => {
    fc.assert(
      fc.property(side, side, fc.constantFrom('low', 'high', 'auto', undefined), (w, h, detail) => {
        const size = { width: w, height: h };
        expect(_openaiImageTokensFor('some-new-model', size, detail)).toBe(
          _openaiImageTokensFor('gpt-4o', size, detail),
        );
        for (const model of known) {
          const n = _openaiImageTokensFor(model, size, detail);
          expect(_openaiImageTokensFor(`${model}-2025-04-14`, size, detail)).toBe(n);
          expect(n).toBeLessThanOrEqual(_openaiImageTokensFor(model, undefined, detail));
        }
        expect(_imagePatches(size, 1536, Number.POSITIVE_INFINITY)).toBeLessThanOrEqual(1536);
        expect(_imagePatches(size, 1536, Number.POSITIVE_INFINITY)).toBeGreaterThanOrEqual(1);
        expect(_imagePatches(size, 6144, 2048)).toBeLessThanOrEqual(64 * 64);
        const url = dataUrl(pngHeader(w, h).toString('base64'));
        expect(media('gpt-4o-mini', url, detail)).toBe(_openaiImageTokensFor('gpt-4o-mini', size, detail));
      }),
      { seed: 38, numRuns: 300 },
    );
  });
});
