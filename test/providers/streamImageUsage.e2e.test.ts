// A stream that reports no usage is counted from its request (the router's estimate, marked `estimated`), and an
// image in that request counts by the request's model. Regression: the estimate counted every OpenAI image by the
// gpt-4o rule, so a gpt-4o-mini stream with a 1024 x 1024 PNG was recorded (and priced) at 765 image tokens where
// OpenAI counts 25,501 (its vision guide: 2833 + 5667 per 512-px tile, 4 tiles).
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { countPromptTokens } from '../../src/calls/estimateTokens.js';
import { evaluate, type Metric, wrapOpenAI } from '../../src/index.js';
import { png1024 } from '../calls/_media.js';
import { startServer } from '../calls/_misbehavingServer.js';

const one: Metric = { name: 'one', kind: 'binary', score: () => 1 };

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

/** A chat server whose streams carry no usage chunk (a provider that ignores `stream_options.include_usage`). */
async function serve() {
  const server = await startServer((_req, res) => {
    const chunk = (delta: object, finish: string | null) =>
      `data: ${JSON.stringify({
        id: 'c1',
        object: 'chat.completion.chunk',
        created: 0,
        model: 'gpt-4o-mini',
        choices: [{ index: 0, delta, finish_reason: finish }],
      })}\n\n`;
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end(`${chunk({ role: 'assistant', content: 'ok' }, null)}${chunk({}, 'stop')}data: [DONE]\n\n`);
  });
  close = server.close;
  return server.url;
}

describe('the estimated usage of a stream without usage', () => {
  it('gpt-4o-mini with a 1024 x 1024 PNG: 25,501 image tokens beyond the text', async () => {
    const url = await serve();
    const client = wrapOpenAI(new OpenAI({ baseURL: url, apiKey: 'k', maxRetries: 0 }));
    const messages = [
      {
        role: 'user' as const,
        content: [
          { type: 'text' as const, text: 'What is in this picture?' },
          { type: 'image_url' as const, image_url: { url: `data:image/png;base64,${png1024}` } },
        ],
      },
    ];
    const model = async () => {
      const s = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });
      let out = '';
      for await (const c of s) out += c.choices[0]?.delta.content ?? '';
      return out;
    };
    const r = await evaluate([{ id: 'a', input: 'x' }], model, [one], { progress: false, resamples: 10 });
    const usage = r.examples[0]?.usage;
    expect(usage?.estimated).toBe(true);
    expect(usage?.inputTokens).toBe(countPromptTokens({ messages }) + 25_501);
  }, 20_000);
});
