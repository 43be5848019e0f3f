// A provider (or a gateway in front of it) whose error body echoes the credentials it was sent: the key must not
// reach anything evalgate writes — the record's error, its trajectory step, the JSONL output file, the run's
// warnings and the failure-rate error — while the rest of the provider's message stays readable.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOpenAI } from '@ai-sdk/openai';
import Anthropic from '@anthropic-ai/sdk';
import { generateText } from 'ai';
import fc from 'fast-check';
import OpenAI, { AzureOpenAI } from 'openai';
import { afterAll, describe, expect, it } from 'vitest';
import { _redactKnownSecrets } from '../../src/_internal/redactSecrets.js';
import { wrapAISDKModel } from '../../src/ai-sdk/index.js';
import { evaluate, type Model, openaiModel, wrapAnthropic, wrapOpenAI } from '../../src/index.js';
import { llmJudge } from '../../src/judge/index.js';
import { openaiEmbedder } from '../../src/metrics/index.js';
import { HUNG, within } from '../_within.js';

const dir = mkdtempSync(join(tmpdir(), 'evalgate-secret-echo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A `fetch` that answers every request with `status` and a body quoting its credential headers and URL. */
function echoingFetch(status: number) {
  return async (input: unknown, init?: RequestInit): Promise<Response> => {
    const h = new Headers(init?.headers);
    const sent = ['authorization', 'x-api-key', 'api-key'].map((n) => `${n}=${h.get(n)}`).join(' ');
    const message = `Incorrect API key provided: ${sent} for ${String(input)}`;
    return new Response(JSON.stringify({ error: { message, type: 'invalid_request_error' } }), {
      status,
      headers: { 'content-type': 'application/json' },
    });
  };
}

type Flavor = 'openai' | 'anthropic' | 'azure' | 'openai-url';

/** A model calling a wrapped client of `flavor` that sends `key` (as its SDK does) to an echoing server. */
function modelFor(flavor: Flavor, key: string, status: number): Model {
  const fetch = echoingFetch(status) as never;
  if (flavor === 'anthropic') {
    const client = wrapAnthropic(
      new Anthropic({ apiKey: key, baseURL: 'http://127.0.0.1:9', fetch, maxRetries: 0 }),
    );
    return async (input) => {
      const r = await client.messages.create({
        model: 'claude-haiku-4-5',
        max_tokens: 16,
        messages: [{ role: 'user', content: String(input) }],
      });
      return r.content[0]?.type === 'text' ? r.content[0].text : '';
    };
  }
  const client = wrapOpenAI(
    flavor === 'azure'
      ? new AzureOpenAI({
          apiKey: key,
          endpoint: 'http://127.0.0.1:9',
          apiVersion: '2024-10-21',
          deployment: 'gpt-4o-mini',
          fetch,
          maxRetries: 0,
        })
      : flavor === 'openai-url'
        ? // A gateway that takes its token in the URL: the query (Azure style) and the user info.
          new OpenAI({
            apiKey: 'unused-by-the-gateway',
            baseURL: `http://gw:${encodeURIComponent(key)}@127.0.0.1:9/v1`,
            defaultQuery: { 'api-key': key },
            fetch,
            maxRetries: 0,
          })
        : new OpenAI({ apiKey: key, baseURL: 'http://127.0.0.1:9/v1', fetch, maxRetries: 0 }),
  );
  return async (input) => {
    const r = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: String(input) }],
    });
    return r.choices[0]?.message.content ?? '';
  };
}

/** Keys shaped like the providers' (`sk-…`, `sk-ant-…`, Azure's hex), with characters a URL must escape. */
const keyArb = fc
  .tuple(
    fc.constantFrom('sk-proj-', 'sk-ant-api03-', '', 'tok_'),
    fc.string({
      unit: fc.constantFrom(...'abcdefABCDEF0123456789_-'.split('')),
      minLength: 24,
      maxLength: 40,
    }),
    fc.constantFrom('', '+/=', '%'),
  )
  .map(([prefix, body, tail]) => `${prefix}${body}${tail}`);

describe('a provider error that echoes the credentials', () => {
  it.each([
    ['openai', 401],
    ['anthropic', 401],
    ['azure', 401],
    ['openai-url', 401],
    // An error object on a 2xx: evalgate's own ProviderResponseError quotes the provider's message.
    ['openai', 200],
  ] as const)(
    '%s (HTTP %i): the key reaches no record, trajectory, file or error',
    async (flavor, status) => {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(keyArb, async (key) => {
          const output = join(dir, `${flavor}-${status}-${run++}.jsonl`);
          const { record, written } = await oneRecord(modelFor(flavor, key, status), output);
          // The provider's words are kept: the test would pass on an emptied message otherwise.
          expect(record.error?.message).toContain('Incorrect API key provided');
          expect(record.trajectory?.steps[0]?.error).toContain('Incorrect API key provided');
          const decoded = decodeURIComponent(encodeURIComponent(key));
          for (const text of written) {
            expect(text).not.toContain(key);
            expect(text).not.toContain(decoded);
            expect(text).not.toContain(encodeURIComponent(key));
          }
        }),
        { seed: 42, numRuns: 6 },
      );
    },
  );
});

/** The one record a one-row run wrote to `output`, and everything it wrote. */
async function oneRecord(model: Model, output: string) {
  const result = await within(
    evaluate([{ id: 'a', input: 'q', reference: 'q' }], model, [], {
      progress: false,
      trajectory: true,
      retry: { maxRetries: 0 },
      output,
      maxFailureRate: 0,
    }).catch((e: unknown) => e),
    10_000,
  );
  expect(result, 'the run ended').not.toBe(HUNG);
  const err = result as Error & { result?: unknown };
  expect(err.name).toBe('FailureRateExceededError');
  const file = readFileSync(output, 'utf8');
  const record = JSON.parse(file.split('\n')[0] ?? '') as {
    error?: { message: string };
    trajectory?: { steps: { error?: string }[] };
  };
  return { record, written: [err.message, String(err.stack), JSON.stringify(err.result), file] };
}

/** Keys with the shapes the providers give them (`sk-…`, `sk-proj-…`, `sk-ant-api03-…`). */
const shapedKeyArb = fc
  .tuple(
    fc.constantFrom('sk-', 'sk-proj-', 'sk-ant-api03-', 'sk-svcacct-'),
    fc.string({
      unit: fc.constantFrom(...'abcdefABCDEF0123456789_-'.split('')),
      minLength: 20,
      maxLength: 40,
    }),
  )
  .map(([prefix, body]) => `${prefix}${body}`);

describe('credentials evalgate never saw sent, recognised by their shape', () => {
  it('an AI SDK provider whose error echoes its key: hidden in the record, the trajectory and the file', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(shapedKeyArb, fc.boolean(), async (key, anthropicHeader) => {
        // The provider keeps its key in its own closure: evalgate sees neither it nor the headers it sends.
        const fetch = async (url: unknown, init?: RequestInit) => {
          const h = new Headers(init?.headers);
          const sent = anthropicHeader ? `x-api-key: ${key}` : String(h.get('authorization'));
          return new Response(
            JSON.stringify({ error: { message: `Incorrect API key provided: ${sent} (${String(url)})` } }),
            { status: 401, headers: { 'content-type': 'application/json' } },
          );
        };
        const model = wrapAISDKModel(
          createOpenAI({ apiKey: key, baseURL: 'http://127.0.0.1:9/v1', fetch: fetch as never })(
            'gpt-4o-mini',
          ),
        );
        const { record, written } = await oneRecord(
          async (input) => (await generateText({ model, prompt: String(input), maxRetries: 0 })).text,
          join(dir, `ai-sdk-${run++}.jsonl`),
        );
        expect(record.error?.message).toContain('Incorrect API key provided');
        expect(record.trajectory?.steps[0]?.error).toContain('Incorrect API key provided');
        for (const text of written) expect(text).not.toContain(key);
      }),
      { seed: 42, numRuns: 6 },
    );
  });

  it("a model whose error quotes its client's key: hidden in the record", async () => {
    const key = 'sk-proj-Quoted0123456789abcdefXYZ';
    const { record, written } = await oneRecord(
      async () => {
        throw new Error(`upstream refused the request sent with ${key}`);
      },
      join(dir, 'model-quote.jsonl'),
    );
    expect(record.error?.message).toBe('upstream refused the request sent with ***');
    for (const text of written) expect(text).not.toContain(key);
  });

  it.each([
    [
      'Incorrect API key provided: Bearer sk-proj-abcdefghijklmnop0123',
      'Incorrect API key provided: Bearer ***',
    ],
    ['invalid x-api-key: sk-ant-api03-abcdefghijklmnopqrst', 'invalid x-api-key: ***'],
    ['{"api_key": "0123456789abcdef0123456789abcdef"}', '{"api_key": "***"}'],
    ['api-key=0123456789abcdef0123456789abcdef refused', 'api-key=*** refused'],
    ['GET https://gw:p4ssw0rd-long@host/v1 failed', 'GET https://gw:***@host/v1 failed'],
    [
      'POST https://x.blob.core.windows.net/c?sv=2024-01-01&sig=AbCdEf0123456789%2B%3D failed',
      'POST https://x.blob.core.windows.net/c?sv=2024-01-01&sig=*** failed',
    ],
  ])('hides %j', (text, shown) => {
    expect(_redactKnownSecrets(text)).toBe(shown);
  });

  it.each([
    'Connection error.',
    '401 Incorrect API key provided',
    'Replay miss: no cached response for example "q1" (model call, trial 0, key 0123456789ab…); replay mode sends no request',
    'Cannot connect to 127.0.0.1:9: ECONNREFUSED (connect ECONNREFUSED 127.0.0.1:9)',
    'the task-abcdefghijklmnopqrstuvwxyz failed at https://api.openai.com/v1/chat/completions?api-version=2024-10-21',
    'redis://127.0.0.1:6379/0 refused: WRONGPASS invalid username-password pair',
  ])('leaves %j as it is', (text) => {
    expect(_redactKnownSecrets(text)).toBe(text);
  });
});

describe('an API key passed where a client belongs', () => {
  // A legacy OpenAI key (51 characters) fitted whole in the 60 characters an error shows of a string.
  const key = `sk-${'A1b2C3d4E5f6'.repeat(4)}`;
  it.each([
    ['wrapOpenAI', () => wrapOpenAI(key as never)],
    ['wrapAnthropic', () => wrapAnthropic(key as never)],
    ['openaiModel', () => openaiModel({ model: 'gpt-4o-mini', client: key as never })],
    [
      'llmJudge',
      () => llmJudge({ name: 'j', rubric: 'Is it right?', model: 'gpt-4o-mini', client: key as never }),
    ],
    ['openaiEmbedder', () => openaiEmbedder({ model: 'text-embedding-3-small', client: key as never })],
  ])('%s: the TypeError says a string was given, and shows none of it', (_name, make) => {
    let thrown: unknown;
    try {
      make();
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(TypeError);
    const message = (thrown as TypeError).message;
    expect(message).toMatch(/string/);
    for (let at = 0; at + 12 <= key.length; at += 6) expect(message).not.toContain(key.slice(at, at + 12));
  });
});
