// The `anthropic-beta` header changes what Anthropic answers (interleaved thinking, token-efficient tools, a longer
// context or output) for the same body: `client.beta.messages.create({ betas })` sends the betas only there, as does
// a client's `defaultHeaders` or a call's `{ headers }`. It is part of the cache key (no other header is, and never
// the API key): two runs differing only in their betas each send their own requests; a run without betas keeps
// the key it had before.
import Anthropic from '@anthropic-ai/sdk';
import AnthropicV0 from '@anthropic-ai/sdk-v0';
import { describe, expect, it } from 'vitest';
import { memoryCache } from '../../src/cache/index.js';
import { type CacheStore, evaluate, type Metric, wrapAnthropic } from '../../src/index.js';

const any: Metric = { name: 'any', kind: 'binary', score: () => 1 };
const rows = [
  { id: 'a', input: 'one' },
  { id: 'b', input: 'two' },
];

/** A fetch answering every message with the `anthropic-beta` header it was sent, recording each one. */
function recordingFetch() {
  const betas: string[] = [];
  const fetch = async (_input: unknown, init?: { headers?: ConstructorParameters<typeof Headers>[0] }) => {
    const beta = new Headers(init?.headers).get('anthropic-beta') ?? '(none)';
    betas.push(beta);
    const body = {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-x',
      content: [{ type: 'text', text: beta }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 1, output_tokens: 1 },
    };
    return new Response(JSON.stringify(body), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  };
  return { fetch, betas };
}

type Send = (client: Anthropic, input: string) => Promise<{ content: readonly { type: string }[] }>;
type Make = (fetch: ReturnType<typeof recordingFetch>['fetch'], apiKey: string) => Anthropic;

async function runThrough(cache: CacheStore, make: Make, send: Send, apiKey = 'sk-ant-one-0123456789') {
  const rec = recordingFetch();
  const client = wrapAnthropic(make(rec.fetch, apiKey));
  const model = async (input: unknown) => {
    const block = (await send(client, String(input))).content[0] as { text?: string };
    return block.text ?? '';
  };
  const r = await evaluate(rows, model, [any], { cache, progress: false });
  expect(r.examples.map((e) => e.error)).toEqual([undefined, undefined]);
  return { sent: rec.betas, outputs: r.examples.map((e) => e.output) };
}

const body = (input: string) => ({
  model: 'claude-x',
  max_tokens: 16,
  messages: [{ role: 'user' as const, content: input }],
});

const SDKS = [
  ['@anthropic-ai/sdk 1', Anthropic],
  ['@anthropic-ai/sdk 0', AnthropicV0 as unknown as typeof Anthropic],
] as const;

describe.each(SDKS)('%s: the anthropic-beta header through one cache', (_name, Client) => {
  const make: Make = (fetch, apiKey) =>
    new Client({ apiKey, baseURL: 'http://127.0.0.1:9', fetch: fetch as never, maxRetries: 0 });

  it('client.beta.messages.create({ betas }): other betas send their own requests', async () => {
    const cache = memoryCache();
    const withBetas =
      (betas?: string[]): Send =>
      (c, input) =>
        c.beta.messages.create({ ...body(input), ...(betas === undefined ? {} : { betas }) });
    const first = await runThrough(cache, make, withBetas(['beta-a']));
    expect(first.sent).toEqual(['beta-a', 'beta-a']);
    const other = await runThrough(cache, make, withBetas(['beta-b']));
    expect(other.sent, 'other betas send their own requests').toEqual(['beta-b', 'beta-b']);
    expect(other.outputs).toEqual(['beta-b', 'beta-b']);
    const none = await runThrough(cache, make, withBetas());
    expect(none.sent, 'no betas sends its own requests').toEqual(['(none)', '(none)']);
    const sameAgain = await runThrough(cache, make, withBetas(['beta-a']), 'sk-ant-two-9876543210');
    expect(sameAgain.sent, 'the same betas with another key are answered from the cache').toEqual([]);
    expect(sameAgain.outputs).toEqual(first.outputs);
  });

  it("a client's defaultHeaders and a call's { headers } are keyed by the beta they send", async () => {
    const cache = memoryCache();
    const plain: Send = (c, input) => c.messages.create(body(input));
    const withDefault =
      (beta: string): Make =>
      (fetch, apiKey) =>
        new Client({
          apiKey,
          baseURL: 'http://127.0.0.1:9',
          fetch: fetch as never,
          maxRetries: 0,
          defaultHeaders: { 'anthropic-beta': beta },
        });
    const first = await runThrough(cache, make, plain);
    expect(first.sent).toEqual(['(none)', '(none)']);
    const byDefault = await runThrough(cache, withDefault('beta-c'), plain);
    expect(byDefault.sent, 'a default beta sends its own requests').toEqual(['beta-c', 'beta-c']);
    const perCall: Send = (c, input) =>
      c.messages.create(body(input), { headers: { 'Anthropic-Beta': 'beta-d' } });
    const byCall = await runThrough(cache, withDefault('beta-c'), perCall);
    expect(byCall.sent, "a call's beta replaces the default and sends its own requests").toEqual([
      'beta-d',
      'beta-d',
    ]);
    const removed: Send = (c, input) =>
      c.messages.create(body(input), { headers: { 'anthropic-beta': null } });
    const byRemoval = await runThrough(cache, withDefault('beta-c'), removed);
    expect(byRemoval.sent, 'a call that removes the default beta is the plain request').toEqual([]);
    expect(byRemoval.outputs).toEqual(first.outputs);
  });
});
