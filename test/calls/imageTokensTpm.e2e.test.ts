// The TPM limit counts a request's images before it is sent. Regression: an image part counted 0 tokens in the
// estimate, so six chat requests each carrying one 1024 x 1024 PNG (765 tokens by OpenAI's accounting, the server
// below counts them so) were each estimated at ~20 tokens and sent together under `tpm: 2000`: the server saw
// ~4700 tokens in one window. And by the request's model: gpt-4o-mini counts 25,501 for the same image (OpenAI's vision
// guide: 2833 + 5667 per tile), where every image was estimated by gpt-4o's rule (765), so six such requests went
// together under `tpm: 60000` and the server saw ~153,000 tokens in one window.
import { countTokens } from 'gpt-tokenizer';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { evaluate, type Metric, wrapOpenAI } from '../../src/index.js';
import { maxInWindow } from '../../src/testing/index.js';
import { png1024 } from './_media.js';
import { tokenCountingServer } from './_tokenCountingServer.js';

const PNG_1024 = `data:image/png;base64,${png1024}`;
/** What OpenAI counts for a 1024 x 1024 image at high / auto detail (its vision guide's worked example). */
const IMAGE_TOKENS = 765;
/** The same for gpt-4o-mini: 2833 + 4 tiles x 5667 (the guide's table for gpt-4o-mini). */
const MINI_IMAGE_TOKENS = 25_501;
const TPM = 2000;
const windowMs = 1000;
const one: Metric = { name: 'one', kind: 'binary', score: () => 1 };

/**
 * A chat server that counts each request as the provider does (text, and per image 765, or 25,501 for gpt-4o-mini),
 * logging each request.
 */
const serve = tokenCountingServer({
  count: (body: { model: string; messages: { content: { type: string; text?: string }[] }[] }) => {
    const perImage = body.model === 'gpt-4o-mini' ? MINI_IMAGE_TOKENS : IMAGE_TOKENS;
    let input = 0;
    for (const m of body.messages)
      for (const part of m.content)
        input += part.type === 'image_url' ? perImage : countTokens(part.text ?? '');
    return input;
  },
  reply: (input) => ({
    id: 'c1',
    object: 'chat.completion',
    created: 0,
    model: 'gpt-4o',
    choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
    usage: { prompt_tokens: input, completion_tokens: 1, total_tokens: input + 1 },
  }),
});

/** Six requests with one 1024 x 1024 PNG each to `modelName`, sent together under `tpm`; the server's log. */
async function sixImages(modelName: string, tpm: number) {
  const { log, url } = await serve();
  const client = wrapOpenAI(new OpenAI({ baseURL: url, apiKey: 'k', maxRetries: 0 }));
  const model = async (input: unknown) => {
    const r = await client.chat.completions.create({
      model: modelName,
      max_tokens: 10,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: `What is in picture ${String(input)}?` },
            { type: 'image_url', image_url: { url: PNG_1024 } },
          ],
        },
      ],
    });
    return r.choices[0]?.message.content ?? '';
  };
  const rows = Array.from({ length: 6 }, (_, i) => ({ id: `q${i}`, input: `${i}` }));
  const r = await evaluate(rows, model, [one], {
    progress: false,
    resamples: 100,
    concurrency: 6,
    rateLimit: { tpm, windowMs },
  });
  return { r, log };
}

describe('the TPM estimate counts images', () => {
  it('evaluate() with the OpenAI SDK and one image per request: no window at the server holds more than tpm tokens', async () => {
    const { r, log } = await sixImages('gpt-4o', TPM);
    expect(r.nFailed).toBe(0);
    expect(log).toHaveLength(6);
    expect(
      maxInWindow(log, windowMs, (e) => e.tokens),
      'tokens in any window',
    ).toBeLessThanOrEqual(TPM);
  }, 20_000);

  it('gpt-4o-mini counts its own figure per image: no window holds more than tpm tokens', async () => {
    const tpm = 60_000;
    const { r, log } = await sixImages('gpt-4o-mini', tpm);
    expect(r.nFailed).toBe(0);
    expect(log).toHaveLength(6);
    expect(
      maxInWindow(log, windowMs, (e) => e.tokens),
      'tokens in any window',
    ).toBeLessThanOrEqual(tpm);
  }, 20_000);
});
