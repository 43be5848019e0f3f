// Images and PDFs in the pre-call token estimate: the TPM limit's admission (_estimateRequestTokens), estimateCost
// and a stream's estimated usage add countMediaTokens to the tokenizer's count of the text. Regression: an image or
// PDF part counted 0 tokens, so a chat request with one 1024 x 1024 PNG was estimated at its text alone (12 tokens)
// where OpenAI counts 765 more (its vision guide's worked example), and a `tpm` limit let several times its tokens
// through in a window (test/calls/imageTokensTpm.e2e.test.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { _estimateRequestTokens, countPromptTokens } from '../../src/calls/estimateTokens.js';
import { _openaiImageTokens, OPENAI_MAX_IMAGE_TOKENS, PDF_PAGE_TOKENS } from '../../src/calls/mediaTokens.js';
import { estimateCost } from '../../src/providers/estimateCost.js';
import { pdf3, png1024, pngHeader } from './_media.js';

const est = (request: unknown) => _estimateRequestTokens(request, 0);
const chat = (...parts: object[]) => ({
  model: 'gpt-4o',
  max_tokens: 0,
  messages: [{ role: 'user', content: [{ type: 'text', text: 'What is in this picture?' }, ...parts] }],
});
const textOnly = est(chat());

describe('the TPM estimate counts a request’s images and PDFs', () => {
  it('OpenAI chat: a 1024 x 1024 PNG counts 765 beyond its text (85 at low detail); the text count is unchanged', () => {
    const url = `data:image/png;base64,${png1024}`;
    expect(est(chat({ type: 'image_url', image_url: { url } }))).toBe(textOnly + 765);
    expect(est(chat({ type: 'image_url', image_url: { url, detail: 'low' } }))).toBe(textOnly + 85);
    expect(est(chat({ type: 'image_url', image_url: { url: 'https://example.com/a.png' } }))).toBe(
      textOnly + OPENAI_MAX_IMAGE_TOKENS,
    );
    // The tokenizer's count reads no base64 as text.
    expect(countPromptTokens(chat({ type: 'image_url', image_url: { url } }))).toBe(textOnly);
  });

  it('Anthropic: an image block and a 3-page PDF document', () => {
    const claude = (...blocks: object[]) =>
      est({ model: 'claude-sonnet-4-5', max_tokens: 0, messages: [{ role: 'user', content: blocks }] });
    const empty = claude();
    expect(
      claude({ type: 'image', source: { type: 'base64', media_type: 'image/png', data: png1024 } }),
    ).toBe(empty + 1399);
    expect(
      claude({ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: pdf3 } }),
    ).toBe(empty + 3 * PDF_PAGE_TOKENS);
  });

  it('estimateCost counts an image in a prompt', async () => {
    const url = `data:image/png;base64,${png1024}`;
    const withImage = await estimateCost([{ input: 'x' }], {
      model: 'gpt-4o',
      prompt: () => [{ role: 'user', content: [{ type: 'image_url', image_url: { url } }] }],
    });
    const without = await estimateCost([{ input: 'x' }], {
      model: 'gpt-4o',
      prompt: () => [{ role: 'user', content: [] }],
    });
    expect(withImage.inputTokens - without.inputTokens).toBe(765);
  });

  it('property (seeded): an image adds its formula’s count to the text-only estimate, never less than 85', () => {
    const side = fc.integer({ min: 1, max: 12_000 });
    fc.assert(
      fc.property(side, side, fc.constantFrom('low', 'high', 'auto', undefined), (w, h, detail) => {
        const url = `data:image/png;base64,${pngHeader(w, h).toString('base64')}`;
        const withImage = est(chat({ type: 'image_url', image_url: { url, detail } }));
        expect(withImage).toBe(textOnly + _openaiImageTokens({ width: w, height: h }, detail));
        expect(withImage).toBeGreaterThanOrEqual(textOnly + 85);
      }),
      { seed: 34, numRuns: 300 },
    );
  });
});
