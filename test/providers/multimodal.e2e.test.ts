// Multimodal requests through every route (an image or a PDF with a question), against a mock that answers from
// the bytes it received, so two images get two answers: wrapOpenAI (chat image_url data URL, Responses input_image
// and input_file), wrapAnthropic (image and document blocks) and wrapAISDKModel on ai 7, 6 and 5 (a file part
// whose data is a Uint8Array, a Buffer or a base64 string, and an image part). Each is counted (the run's totals
// equal the mock's requests), cached (a rerun sends nothing), replayed (replay mode sends nothing, same outputs),
// never answers one row with another row's image, and its token estimate for a `tpm` limit counts the text, not
// the base64 (a 64 KB image is not 20k tokens of prompt).
import { createHash } from 'node:crypto';
import { createOpenAI as createOpenAIv4 } from '@ai-sdk/openai';
import { createOpenAI as createOpenAIv2 } from '@ai-sdk/openai-v2';
import { createOpenAI as createOpenAIv3 } from '@ai-sdk/openai-v3';
import Anthropic from '@anthropic-ai/sdk';
import * as ai7 from 'ai';
import * as ai5 from 'ai-v5';
import * as ai6 from 'ai-v6';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wrapAISDKModel } from '../../src/ai-sdk/index.js';
import { memoryCache } from '../../src/cache/index.js';
import { countPromptTokens } from '../../src/calls/estimateTokens.js';
import { evaluate, type Metric, wrapAnthropic, wrapOpenAI } from '../../src/index.js';
import { type MockServer, startMockServer } from '../../src/testing/index.js';

/** The first long base64 run in a body, as a short digest: which image the request carried. */
function imageIn(body: unknown): string {
  const run = JSON.stringify(body).match(/[A-Za-z0-9+/=]{1000,}/);
  return run === null ? 'no image' : createHash('sha256').update(run[0]).digest('hex').slice(0, 12);
}

let mock: MockServer;
const bodies: unknown[] = [];
beforeAll(async () => {
  mock = await startMockServer({
    respond: (r) => {
      bodies.push(r.body);
      return `image ${imageIn(r.body)}`;
    },
  });
});
afterAll(() => mock.close());

/** 64 KB that sniff as a PNG (ai 7 reads an image part's media type from its first bytes), one per seed. */
function png(seed: number): Uint8Array {
  const b = new Uint8Array(64 * 1024);
  b.set([137, 80, 78, 71, 13, 10, 26, 10]);
  for (let i = 8; i < b.length; i++) b[i] = (i * 31 + seed * 17) % 251;
  return b;
}
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const rows = [1, 2].map((seed) => ({ id: `img${seed}`, input: png(seed) }));
const expected = rows.map(
  (r) => `image ${createHash('sha256').update(b64(r.input)).digest('hex').slice(0, 12)}`,
);
const answered: Metric = { name: 'answered', kind: 'binary', score: ({ output }) => (output === '' ? 0 : 1) };

type Route = (bytes: Uint8Array) => Promise<string>;
const openai = () => wrapOpenAI(new OpenAI({ baseURL: mock.url, apiKey: 'k', maxRetries: 0 }));
const anthropic = () =>
  wrapAnthropic(new Anthropic({ baseURL: mock.url.replace(/\/v1$/, ''), apiKey: 'k', maxRetries: 0 }));

/** A wrapped Anthropic client's answer to one content block and a question. */
async function askClaude(block: object, question: string): Promise<string> {
  const r = await anthropic().messages.create({
    model: 'claude-sonnet-4-5',
    max_tokens: 64,
    messages: [{ role: 'user', content: [block as never, { type: 'text', text: question }] }],
  });
  return r.content[0]?.type === 'text' ? r.content[0].text : '';
}

const SDK_ROUTES: Record<string, Route> = {
  'wrapOpenAI chat image_url': async (b) =>
    (
      await openai().chat.completions.create({
        model: 'gpt-4o',
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is in the picture?' },
              { type: 'image_url', image_url: { url: `data:image/png;base64,${b64(b)}` } },
            ],
          },
        ],
      })
    ).choices[0]?.message.content ?? '',
  'wrapOpenAI responses input_image': async (b) =>
    (
      await openai().responses.create({
        model: 'gpt-4o',
        input: [
          {
            role: 'user',
            content: [
              { type: 'input_text', text: 'What is in the picture?' },
              { type: 'input_image', image_url: `data:image/png;base64,${b64(b)}`, detail: 'auto' },
            ],
          },
        ],
      })
    ).output_text,
  'wrapOpenAI responses input_file': async (b) =>
    (
      await openai().responses.create({
        model: 'gpt-4o',
        input: [
          {
            role: 'user',
            content: [
              { type: 'input_text', text: 'Summarize the file.' },
              { type: 'input_file', filename: 'a.pdf', file_data: `data:application/pdf;base64,${b64(b)}` },
            ],
          },
        ],
      })
    ).output_text,
  'wrapAnthropic image block': (b) =>
    askClaude(
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: b64(b) } },
      'What is in the picture?',
    ),
  'wrapAnthropic document block': (b) =>
    askClaude(
      { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: b64(b) } },
      'Summarize the document.',
    ),
};

interface GenerateText {
  generateText(o: object): Promise<{ text: string }>;
}
type Provider = (url: string) => ((id: string) => unknown) & { chat(id: string): unknown };
const MAJORS: [string, GenerateText, Provider][] = [
  ['ai 7', ai7 as unknown as GenerateText, (url) => createOpenAIv4({ baseURL: url, apiKey: 'k' }) as never],
  ['ai 6', ai6 as unknown as GenerateText, (url) => createOpenAIv3({ baseURL: url, apiKey: 'k' }) as never],
  ['ai 5', ai5 as unknown as GenerateText, (url) => createOpenAIv2({ baseURL: url, apiKey: 'k' }) as never],
];
const PARTS: Record<string, (b: Uint8Array) => object> = {
  'file part, Uint8Array': (b) => ({ type: 'file', mediaType: 'image/png', data: b }),
  'file part, Buffer': (b) => ({ type: 'file', mediaType: 'image/png', data: Buffer.from(b) }),
  'file part, base64': (b) => ({ type: 'file', mediaType: 'image/png', data: b64(b) }),
  'image part': (b) => ({ type: 'image', image: b }),
};
const AI_ROUTES: Record<string, Route> = {};
for (const [major, ai, provider] of MAJORS)
  for (const [api, pick] of [
    ['Responses', (p: ReturnType<Provider>) => p('gpt-4o')],
    ['Chat', (p: ReturnType<Provider>) => p.chat('gpt-4o')],
  ] as const)
    for (const [part, make] of Object.entries(PARTS)) {
      let model: unknown;
      AI_ROUTES[`wrapAISDKModel ${major} ${api}: ${part}`] = async (b) => {
        model ??= wrapAISDKModel(pick(provider(mock.url)) as never);
        const messages = [{ role: 'user', content: [{ type: 'text', text: 'What is in it?' }, make(b)] }];
        return (await ai.generateText({ model, messages, maxRetries: 0 })).text;
      };
    }

describe.each(Object.entries({ ...SDK_ROUTES, ...AI_ROUTES }))('%s', (_name, route) => {
  it('is counted, cached and replayed, each row with its own image, its estimate counting text only', async () => {
    const cache = memoryCache();
    const run = (mode: 'read-write' | 'replay') =>
      evaluate(rows, (input) => route(input as Uint8Array), [answered], {
        cache: { store: cache, mode },
        progress: false,
        resamples: 10,
        // A 64 KB image read as text would be ~20k tokens: two rows would wait a minute on this limit.
        rateLimit: { tpm: 5_000 },
      });
    mock.reset();
    bodies.length = 0;
    const live = await run('read-write');
    expect(live.examples.map((e) => e.error)).toEqual([undefined, undefined]);
    expect(live.examples.map((e) => e.output)).toEqual(expected);
    expect(mock.stats.requests).toBe(2);
    expect(live.totals.requests).toBe(2);
    for (const body of bodies) expect(countPromptTokens(body)).toBeLessThan(50);
    for (const mode of ['read-write', 'replay'] as const) {
      const again = await run(mode);
      expect(again.totals).toMatchObject({ requests: 0, cacheHits: 2 });
      expect(again.examples.map((e) => e.output)).toEqual(expected);
    }
    expect(mock.stats.requests).toBe(2);
  }, 15_000);
});
