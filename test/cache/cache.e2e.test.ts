// End to end through evaluate() + openaiModel() against the mock server: a cached re-run sends nothing, replay
// of an empty cache fails before any request, and the API key never reaches the cache file.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryCache, sqliteCache } from '../../src/cache/index.js';
import { evaluate, openaiModel, ReplayMissError } from '../../src/index.js';
import { type MockServer, startMockServer } from '../../src/testing/index.js';
import { echoDataset, echoMatch, essence } from './_fixtures.js';

const API_KEY = 'sk-evalgate-SECRET-0123456789abcdef';
let server: MockServer;
let dir: string;
beforeAll(async () => {
  server = await startMockServer({ latencyMs: 2 });
  dir = mkdtempSync(join(tmpdir(), 'evalgate-cache-e2e-'));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const model = () =>
  openaiModel({
    model: 'gpt-4o-mini',
    client: new OpenAI({ baseURL: server.url, apiKey: API_KEY }),
    temperature: 0,
    seed: 1,
  });
const opts = { concurrency: 8, progress: false, resamples: 100 } as const;

describe('response cache through evaluate()', () => {
  it('a second run with the cache sends zero requests and gives the same result', async () => {
    const path = join(dir, 'rerun.sqlite');
    server.reset();
    const store1 = sqliteCache(path);
    const first = await evaluate(echoDataset(40), model(), [echoMatch], {
      ...opts,
      trials: 2,
      cache: store1,
    });
    await store1.close();
    expect(server.stats.requests).toBe(80);
    expect(first.totals).toMatchObject({ cacheHits: 0, cacheMisses: 80, requests: 80 });

    server.reset();
    const store2 = sqliteCache(path);
    const second = await evaluate(echoDataset(40), model(), [echoMatch], {
      ...opts,
      trials: 2,
      cache: store2,
    });
    await store2.close();
    expect(server.stats.requests).toBe(0);
    expect(second.totals).toMatchObject({ cacheHits: 80, cacheMisses: 0, requests: 0, inputTokens: 0 });
    expect(second.examples.every((e) => e.cached)).toBe(true);
    expect(essence(second)).toEqual(essence(first));
  });

  it('identical requests in one run share one call (single flight)', async () => {
    server.reset();
    const same = Array.from({ length: 12 }, (_, i) => ({
      id: `d${i}`,
      input: 'the same question',
      reference: 'the same question',
    }));
    const result = await evaluate(same, model(), [echoMatch], { ...opts, cache: memoryCache() });
    expect(server.stats.requests).toBe(1);
    expect(result.metrics.echo?.mean).toBe(1);
    expect(result.totals).toMatchObject({ cacheMisses: 1, cacheHits: 11 });
  });

  it('replay with an empty cache fails on the first example before any request', async () => {
    server.reset();
    const err = await evaluate(echoDataset(10), model(), [echoMatch], {
      ...opts,
      cache: { store: memoryCache(), mode: 'replay' },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReplayMissError);
    expect((err as ReplayMissError).message).toMatch(
      /^Replay miss: no cached response for example "q\d" \(model call, trial 0, key [0-9a-f]{12}…\)/,
    );
    expect(server.stats.requests).toBe(0);
  });

  it('replay of a filled cache runs offline', async () => {
    const store = memoryCache();
    await evaluate(echoDataset(10), model(), [echoMatch], { ...opts, cache: store });
    server.reset();
    const r = await evaluate(echoDataset(10), model(), [echoMatch], {
      ...opts,
      cache: { store, mode: 'replay' },
    });
    expect(r.nFailed).toBe(0);
    expect(server.stats.requests).toBe(0);
  });

  it('the API key never appears in the cache file (nor its WAL)', async () => {
    const path = join(dir, 'secret.sqlite');
    const store = sqliteCache(path);
    await evaluate(echoDataset(20), model(), [echoMatch], { ...opts, cache: store });
    const files = [path, `${path}-wal`].filter((f) => existsSync(f));
    const needles = [API_KEY, API_KEY.slice(-12), 'Bearer'];
    for (const f of files) {
      const bytes = readFileSync(f);
      for (const n of needles) expect(bytes.includes(Buffer.from(n)), `${n} in ${f}`).toBe(false);
    }
    await store.close();
    const bytes = readFileSync(path);
    expect(bytes.includes(Buffer.from('question 7')), 'the file does hold the responses').toBe(true);
    for (const n of needles) expect(bytes.includes(Buffer.from(n))).toBe(false);
    // The server did see the key: the test would notice a client that never sent one.
    expect(server.requests.at(-1)?.hasApiKey).toBe(true);
  });
});
