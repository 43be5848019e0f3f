// The TPM estimate of Anthropic document blocks: a plain-text document (`source: { type: 'text', data }`) and a
// custom-content document (`source: { type: 'content', content: [text blocks] }`) are prompt text the provider
// counts; a base64 document or image (a PDF, a PNG) is bytes, which the estimate must not read as text (a 500 KB
// image would be ~170k tokens of base64, where the provider counts about a thousand).
// Regression: the text of a document's source was not read, so a 1000-token text document was estimated at 0
// tokens and the TPM limit let such requests through together.
import { countTokens } from 'gpt-tokenizer';
import { describe, expect, it } from 'vitest';
import { _estimateRequestTokens } from '../../src/calls/estimateTokens.js';

const DOC = Array.from({ length: 1000 }, (_, i) => `w${i % 10}`).join(' ');
const doc = countTokens(DOC);
const est = (request: unknown) => _estimateRequestTokens(request, 0);
const base = { model: 'claude-sonnet-4-5', max_tokens: 0 };
const withBlock = (block: object) => est({ ...base, messages: [{ role: 'user', content: [block] }] });
const empty = est({ ...base, messages: [{ role: 'user', content: [] }] });
const b64 = Buffer.alloc(500_000, 7).toString('base64');

describe('Anthropic document blocks in the TPM estimate', () => {
  it('a plain-text document counts its text', () => {
    expect(
      withBlock({ type: 'document', source: { type: 'text', media_type: 'text/plain', data: DOC } }),
    ).toBe(empty + doc);
  });

  it('a custom-content document counts its text blocks, and a string content', () => {
    expect(
      withBlock({ type: 'document', source: { type: 'content', content: [{ type: 'text', text: DOC }] } }),
    ).toBe(empty + doc);
    expect(withBlock({ type: 'document', source: { type: 'content', content: DOC } })).toBe(empty + doc);
  });

  it('a base64 PDF, a base64 image and a URL document count no text, in well under a second', () => {
    const t0 = performance.now();
    expect(
      withBlock({ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: b64 } }),
    ).toBe(empty);
    expect(withBlock({ type: 'image', source: { type: 'base64', media_type: 'image/png', data: b64 } })).toBe(
      empty,
    );
    expect(withBlock({ type: 'document', source: { type: 'url', url: 'https://example.com/a.pdf' } })).toBe(
      empty,
    );
    expect(performance.now() - t0, 'three 500 KB blocks estimated').toBeLessThan(1000);
  });
});
