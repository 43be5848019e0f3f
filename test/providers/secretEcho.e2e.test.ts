// A provider (or a gateway in front of it) whose error body echoes the credentials it was sent: the key must not
// reach anything evalgate writes — the record's error, its trajectory step, the JSONL output file, the run's
// warnings and the failure-rate error — while the rest of the provider's message stays readable.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import fc from 'fast-check';
import OpenAI, { AzureOpenAI } from 'openai';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluate, type Model, wrapAnthropic, wrapOpenAI } from '../../src/index.js';
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
          const got = await within(
            evaluate([{ id: 'a', input: 'q', reference: 'q' }], modelFor(flavor, key, status), [], {
              progress: false,
              trajectory: true,
              retry: { maxRetries: 0 },
              output,
              maxFailureRate: 0,
            }).catch((e: unknown) => e),
            10_000,
          );
          expect(got, 'the run ended').not.toBe(HUNG);
          const err = got as Error & { result?: unknown };
          expect(err.name).toBe('FailureRateExceededError');
          const file = readFileSync(output, 'utf8');
          const record = JSON.parse(file.split('\n')[0] ?? '') as {
            error?: { message: string };
            trajectory?: { steps: { error?: string }[] };
          };
          // The provider's words are kept: the test would pass on an emptied message otherwise.
          expect(record.error?.message).toContain('Incorrect API key provided');
          expect(record.trajectory?.steps[0]?.error).toContain('Incorrect API key provided');
          const written = [err.message, String(err.stack), JSON.stringify(err.result), file];
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
