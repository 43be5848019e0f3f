import { readFileSync } from 'node:fs';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheKey } from '../../src/cache/cacheKey.js';
import { memoryCache } from '../../src/cache/index.js';
import { CallEngine, type CallRuntime, type CallSpec } from '../../src/calls/callRuntime.js';
import { newKindCounts, newTally, runInScope } from '../../src/calls/callScope.js';
import { evaluate } from '../../src/evaluate.js';
import { cosineSimilarity, embeddingSimilarity, openaiEmbedder } from '../../src/metrics/index.js';
import { precomputedModel } from '../../src/providers/precomputedModel.js';
import { type MockServer, mockEmbedding, startMockServer } from '../../src/testing/index.js';
import { ctx, expectRel } from './_helpers.js';

/** The openai this repository installs (the message names it). */
const OPENAI_VERSION = (
  JSON.parse(readFileSync(new URL('../../node_modules/openai/package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

describe('cosineSimilarity', () => {
  it('values', () => {
    expectRel(cosineSimilarity([1, 0], [1, 1]), Math.SQRT1_2, 1e-15);
    expectRel(cosineSimilarity([1, 2], [-1, -2]), -1, 1e-15);
    expect(cosineSimilarity([1, 2, 3], [1, 2, 3])).toBe(1);
    expect(Number.isNaN(cosineSimilarity([0, 0], [1, 1]))).toBe(true);
  });
  it('errors', () => {
    expect(() => cosineSimilarity([1], [1, 2])).toThrow(
      new RangeError('Expected `b` to have the length of `a` (1), got `array(2)` (array)'),
    );
    expect(() => cosineSimilarity([1, Number.NaN], [1, 2])).toThrow(
      new TypeError('Expected `a[1]` to be a finite number, got `NaN` (number)'),
    );
    expect(() => cosineSimilarity('ab' as unknown as number[], [1])).toThrow(TypeError);
  });
});

describe('embeddingSimilarity with a plain embed function', () => {
  const table: Record<string, number[]> = { cat: [1, 0], kitten: [1, 1], dog: [0, 1], void: [0, 0] };
  const embed = async (texts: readonly string[]) => texts.map((t) => table[t] ?? [0.5, 0.5]);

  it('cosine of output and reference, best over several references', async () => {
    const m = embeddingSimilarity({ embed });
    expect([m.name, m.kind]).toEqual(['embedding_similarity', 'continuous']);
    const one = (await m.score(ctx('kitten', 'cat'))) as { value: number };
    expectRel(one.value, Math.SQRT1_2, 1e-15);
    const best = (await m.score(ctx(['dog', 'cat'], 'cat'))) as { value: number };
    expect(best.value).toBe(1);
  });

  it('a zero vector is missing (null), not 0', async () => {
    expect(await embeddingSimilarity({ embed }).score(ctx('cat', 'void'))).toEqual({ value: null });
  });

  it('passes the signal and the runtime / example id to the embedder, in one call per example', async () => {
    const calls: { texts: readonly string[]; signal: AbortSignal; exampleId?: string | undefined }[] = [];
    const m = embeddingSimilarity({
      embed: async (texts, signal, context) => {
        calls.push({ texts, signal, exampleId: context?.exampleId });
        return texts.map(() => [1, 0]);
      },
    });
    const c = ctx(['a', 'b'], 'out', 'e1');
    await m.score(c);
    expect(calls).toHaveLength(1);
    expect(calls[0].texts).toEqual(['out', 'a', 'b']);
    expect(calls[0].signal).toBe(c.signal);
    expect(calls[0].exampleId).toBe('e1');
  });

  it('clear errors for bad embedders and references', async () => {
    expect(() => embeddingSimilarity({ embed: 'x' as unknown as typeof embed })).toThrow(
      new TypeError('Expected `embed` to be a function, got `"x"` (string)'),
    );
    const short = embeddingSimilarity({ embed: async () => [[1, 0]] });
    await expect(short.score(ctx('a', 'b', 'e2'))).rejects.toThrow(
      'Metric `embedding_similarity` for example "e2": expected `embed` to return 2 vectors, got `array(1)` (array)',
    );
    const ragged = embeddingSimilarity({ embed: async () => [[1, 0], [1]] });
    await expect(ragged.score(ctx('a', 'b', 'e3'))).rejects.toThrow(RangeError);
    await expect(embeddingSimilarity({ embed }).score(ctx(5, 'b', 'e4'))).rejects.toThrow(
      'Metric `embedding_similarity` expected `example.reference` of example "e4" to be a string or an array of strings, got `5` (number)',
    );
  });
});

describe('openaiEmbedder against the mock OpenAI server', () => {
  let server: MockServer;
  let client: OpenAI;
  beforeAll(async () => {
    server = await startMockServer({ embeddingDimensions: 16 });
    client = new OpenAI({ baseURL: server.url, apiKey: 'test-key' });
  });
  afterAll(async () => {
    await server.close();
  });

  it('returns the server vectors in input order, in batches of batchSize', async () => {
    server.reset();
    const embed = openaiEmbedder({ client, model: 'mock-embedding', batchSize: 2 });
    const texts = ['one cat', 'two dogs', 'three birds', 'four', 'five fish'];
    const vectors = await embed(texts, AbortSignal.timeout(10_000));
    expect(vectors).toHaveLength(5);
    vectors.forEach((v, i) => {
      const want = mockEmbedding(texts[i], { dimensions: 16 });
      // float32 on the wire
      v.forEach((x, j) => {
        expectRel(x, want[j], 1e-6, `text ${i} dim ${j}`);
      });
    });
    expect(server.stats.byRoute['/v1/embeddings']).toBe(3);
    const inputs = server.requests.map((r) => (r.body as { input: string[] }).input);
    expect(inputs.flat().sort()).toEqual([...texts].sort());
    expect(inputs.map((x) => x.length).sort()).toEqual([1, 2, 2]);
  });

  it('sends dimensions and the model', async () => {
    server.reset();
    const embed = openaiEmbedder({ client, model: 'mock-embedding', dimensions: 8 });
    const [v] = await embed(['hello'], AbortSignal.timeout(10_000));
    expect(v).toHaveLength(8);
    expect(server.requests[0].body).toMatchObject({
      model: 'mock-embedding',
      dimensions: 8,
      input: ['hello'],
    });
  });

  it('routes each batch through the runtime as an embedding call with the request as its key', async () => {
    server.reset();
    const base = new CallEngine();
    const specs: CallSpec[] = [];
    // A spy on the runtime's calls: the engine itself, its `call` recording each spec.
    const runtime: CallRuntime = base;
    const call = base.call.bind(base);
    base.call = (spec, send, signal) => {
      specs.push(spec);
      return call(spec, send, signal);
    };
    const m = embeddingSimilarity({ embed: openaiEmbedder({ client, model: 'mock-embedding' }) });
    const c = ctx('the cat sat', 'the cat sat down', 'r1');
    const scope = {
      runtime,
      exampleId: 'r1',
      trial: 0,
      phase: 'metric' as const,
      signal: c.signal,
      tally: newTally(),
      kinds: newKindCounts(),
    };
    const s = (await runInScope(scope, () => m.score(c))) as { value: number };
    expect(s.value).toBeGreaterThan(0.5);
    expect(s.value).toBeLessThan(1);
    // The key is the endpoint, the method and the body (issue 20: two base URLs never share entries); the key an
    // earlier evalgate gave the body alone is looked up only to warn that such entries are ignored.
    const body = {
      model: 'mock-embedding',
      input: ['the cat sat down', 'the cat sat'],
      encoding_format: 'float',
    };
    expect(specs).toEqual([
      {
        kind: 'embedding',
        exampleId: 'r1',
        trial: 0,
        model: 'mock-embedding',
        request: { endpoint: `${server.url}/embeddings`, method: 'post', body },
        legacyKeyOf: expect.any(Function),
        tokenSource: body,
      },
    ]);
    expect(specs[0]!.legacyKeyOf!()).toBe(cacheKey(body, 0, 'openai.embeddings'));
    expect(base.totals.inputTokens).toBe(server.stats.promptTokens);
  });

  it('inside evaluate(): cached like any call (second run sends no embedding request)', async () => {
    server.reset();
    const cache = memoryCache();
    const data = [
      { id: 'a', input: 'q', reference: 'Paris is the capital of France' },
      { id: 'b', input: 'q', reference: 'Two plus two is four' },
    ];
    const model = precomputedModel({ a: 'The capital of France is Paris', b: 'The answer is four' });
    const metric = embeddingSimilarity({ embed: openaiEmbedder({ client, model: 'mock-embedding' }) });
    const r1 = await evaluate(data, model, [metric], { cache, progress: false });
    expect(server.stats.byRoute['/v1/embeddings']).toBe(2);
    const r2 = await evaluate(data, model, [metric], { cache, progress: false });
    expect(server.stats.byRoute['/v1/embeddings']).toBe(2);
    expect(r2.metrics.embedding_similarity!.mean).toBe(r1.metrics.embedding_similarity!.mean);
    expect(r1.metrics.embedding_similarity!.mean).toBeGreaterThan(0.3);
  });

  it('a server error surfaces after the runtime retries', async () => {
    server.reset();
    server.setOptions({ faults: { rate500: 1 } });
    try {
      const embed = openaiEmbedder({ client, model: 'mock-embedding' });
      const runtime = new CallEngine({ retry: { maxRetries: 1, baseMs: 1 } });
      const scope = {
        runtime,
        exampleId: 'z',
        trial: 0,
        phase: 'metric' as const,
        signal: AbortSignal.timeout(10_000),
        tally: newTally(),
        kinds: newKindCounts(),
      };
      await expect(
        runInScope(scope, () => embed(['x'], AbortSignal.timeout(10_000), { exampleId: 'z' })),
      ).rejects.toMatchObject({
        status: 500,
      });
      expect(server.stats.byRoute['/v1/embeddings']).toBe(2);
    } finally {
      server.setOptions({ faults: undefined });
    }
  });

  it('validates its options', () => {
    expect(() => openaiEmbedder({ model: '' })).toThrow(
      new TypeError('Expected `model` to be a non-empty string, got `""` (string)'),
    );
    expect(() => openaiEmbedder({ model: 'm', batchSize: 0 })).toThrow(
      new RangeError('Expected `batchSize` to be an integer >= 1 and <= 2048, got `0` (number)'),
    );
    expect(() => openaiEmbedder({ model: 'm', client: {} as OpenAI })).toThrow(
      new TypeError(
        `Expected \`client\` to be an OpenAI client (openai ^6.0.0 || ^7.0.0) with a \`embeddings.create\` method, got \`object\` (object) without it (installed: openai ${OPENAI_VERSION})`,
      ),
    );
  });
});
