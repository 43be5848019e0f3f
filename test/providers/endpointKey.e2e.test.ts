// Issue 20, item 2: the endpoint is part of the cache key, never a secret. For Azure: the deployment (in the request's path) and the API version (the client's default
// query) are part of the cache key; the API key is not. Two AzureOpenAI clients that differ in either, one cache:
// each sends its own requests. Two that differ only in their key: the second is answered from the cache.
import OpenAI, { AzureOpenAI } from 'openai';
import { describe, expect, it } from 'vitest';
import { memoryCache } from '../../src/cache/index.js';
import { type CacheStore, evaluate, type Metric, wrapOpenAI } from '../../src/index.js';

const any: Metric = { name: 'any', kind: 'binary', score: () => 1 };
const rows = [
  { id: 'a', input: 'one' },
  { id: 'b', input: 'two' },
];

type RecordingFetch = ReturnType<typeof recordingFetch>;

/** A fetch answering every chat completion with its URL, recording each URL asked. */
function recordingFetch() {
  const urls: string[] = [];
  const fetch = async (input: string | URL | Request) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    urls.push(url);
    const body = {
      id: 'x',
      object: 'chat.completion',
      created: 0,
      model: 'm',
      choices: [{ index: 0, message: { role: 'assistant', content: url }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
    };
    return new Response(JSON.stringify(body), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  };
  return { fetch, urls };
}

/** One run of `rows` through a client made with a recording fetch, on `cache`: the URLs sent and the outputs. */
async function runThrough(cache: CacheStore, make: (fetch: RecordingFetch['fetch']) => OpenAI) {
  const rec = recordingFetch();
  const client = wrapOpenAI(make(rec.fetch));
  const model = async (input: unknown) =>
    (
      await client.chat.completions.create({
        model: 'm',
        messages: [{ role: 'user', content: String(input) }],
      })
    ).choices[0]?.message.content ?? '';
  const r = await evaluate(rows, model, [any], { cache, progress: false });
  expect(r.nFailed).toBe(0);
  return { urls: rec.urls, outputs: r.examples.map((e) => e.output) };
}

describe('an AzureOpenAI client through one cache', () => {
  it('keys the deployment and the API version, not the API key', async () => {
    const cache = memoryCache();
    const run = (deployment: string, apiVersion: string, apiKey: string) =>
      runThrough(
        cache,
        (fetch) => new AzureOpenAI({ endpoint: 'http://127.0.0.1:9', apiKey, apiVersion, deployment, fetch }),
      );
    const first = await run('dep-a', '2024-10-21', 'key-one-0123456789');
    expect(first.urls).toHaveLength(2);
    expect(
      first.urls.every((u) => u.includes('/deployments/dep-a/') && u.includes('api-version=2024-10-21')),
    ).toBe(true);
    const otherVersion = await run('dep-a', '2025-04-01-preview', 'key-one-0123456789');
    expect(otherVersion.urls, 'another API version sends its own requests').toHaveLength(2);
    expect(otherVersion.outputs.every((o) => o?.includes('api-version=2025-04-01-preview'))).toBe(true);
    const otherDeployment = await run('dep-b', '2024-10-21', 'key-one-0123456789');
    expect(otherDeployment.urls, 'another deployment sends its own requests').toHaveLength(2);
    expect(otherDeployment.outputs.every((o) => o?.includes('/deployments/dep-b/'))).toBe(true);
    const otherKey = await run('dep-a', '2024-10-21', 'key-two-9876543210');
    expect(otherKey.urls, 'another key is answered from the cache').toHaveLength(0);
    expect(otherKey.outputs).toEqual(first.outputs);
  });
});

describe('a base URL holding a query, through one cache', () => {
  // The SDK sends such a client's requests to another URL than one without the query (or with another): two
  // clients differing there each send their own requests; differing only in a credential parameter, they share.
  it('keys the base URL query, secrets left out', async () => {
    const cache = memoryCache();
    const run = (baseURL: string) =>
      runThrough(cache, (fetch) => new OpenAI({ baseURL, apiKey: 'sk-test', fetch, maxRetries: 0 }));
    const first = await run('http://127.0.0.1:9/v1?tenant=a&api-key=one-0123456789');
    expect(first.urls).toHaveLength(2);
    const otherTenant = await run('http://127.0.0.1:9/v1?tenant=b&api-key=one-0123456789');
    expect(otherTenant.urls, 'another query sends its own requests').toHaveLength(2);
    expect(otherTenant.outputs.every((o) => o?.includes('tenant=b'))).toBe(true);
    const noQuery = await run('http://127.0.0.1:9/v1');
    expect(noQuery.urls, 'no query sends its own requests').toHaveLength(2);
    const otherKey = await run('http://127.0.0.1:9/v1?tenant=a&api-key=two-9876543210');
    expect(otherKey.urls, 'another credential parameter is answered from the cache').toHaveLength(0);
    expect(otherKey.outputs).toEqual(first.outputs);
  });
});

describe('query parameters named like a credential but not one, through one cache', () => {
  // Only a parameter whose name ends in a credential word (`api-key`, `access_token`, `sig`, `apiKey`) is left
  // out of the key: `api_key_ids` (the admin usage filter: which keys' usage) and `author` change the answer, and so
  // do `sortKey` or `page_token` (`key` and `token` after a word that is not api, access, secret, ...).
  it('keys the admin usage filter api_key_ids: another filter sends its own request', async () => {
    const cache = memoryCache();
    const urls: string[] = [];
    const fetch = async (input: string | URL | Request) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      urls.push(url);
      return new Response(JSON.stringify({ object: 'page', data: [{ url }], has_more: false }), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    };
    const client = wrapOpenAI(
      new OpenAI({
        baseURL: 'http://127.0.0.1:9/v1',
        apiKey: 'k',
        adminAPIKey: 'admin',
        fetch,
        maxRetries: 0,
      }),
    );
    const model = async (input: unknown) =>
      JSON.stringify(
        await client.admin.organization.usage.completions({ start_time: 0, api_key_ids: [String(input)] }),
      );
    const r = await evaluate(
      [
        { id: 'a', input: 'key_a' },
        { id: 'b', input: 'key_b' },
      ],
      model,
      [any],
      { cache, progress: false },
    );
    expect(urls, 'each filter its own request').toHaveLength(2);
    expect(r.examples[1]?.output).toContain('key_b');
  });

  it.each([
    ['author', 'author=a', 'author=b'],
    ['a design id', 'design=1', 'design=2'],
    ['an api key id', 'api_key_id=k1', 'api_key_id=k2'],
    // `key`, `token`, `sig` and `signature` after another word than api, access, secret, ... are data.
    ['a sort key', 'sortKey=name', 'sortKey=date'],
    ['a page token', 'page_token=p1', 'page_token=p2'],
    ['a pagination token', 'nextToken=n1', 'nextToken=n2'],
    ['a primary key', 'primary-key=id', 'primary-key=email'],
  ])('keys %s in the base URL query', async (_what, one, two) => {
    const cache = memoryCache();
    const run = (query: string) =>
      runThrough(
        cache,
        (fetch) =>
          new OpenAI({ baseURL: `http://127.0.0.1:9/v1?${query}`, apiKey: 'k', fetch, maxRetries: 0 }),
      );
    await run(one);
    const other = await run(two);
    expect(other.urls, 'another value sends its own requests').toHaveLength(2);
  });

  it.each([
    'api-key',
    'x-api-key',
    'apiKey',
    'access_token',
    'sig',
    'auth',
    'client_secret',
    'password',
    'key',
    'token',
    'subscription-key',
    'url_signature',
    'X-Amz-Signature',
  ])('leaves the credential %s out of the key', async (name) => {
    const cache = memoryCache();
    const run = (value: string) =>
      runThrough(
        cache,
        (fetch) =>
          new OpenAI({
            baseURL: `http://127.0.0.1:9/v1?${name}=${value}`,
            apiKey: 'k',
            fetch,
            maxRetries: 0,
          }),
      );
    await run('one-0123456789');
    const other = await run('two-9876543210');
    expect(other.urls, 'answered from the cache').toHaveLength(0);
  });
});
