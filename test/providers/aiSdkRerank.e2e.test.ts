// The AI SDK's rerank() (ai 7 and 6) sends through a reranking model (`doRerank`). Wrapped with wrapAISDKModel, each
// doRerank call goes through the run like an embedding call: counted (with the embeddings, the retrieval side),
// cached (a rerun sends nothing), replayed (replay mode sends nothing and gives the same ranking), and seen by the
// budget. The reranker here is a custom RerankingModel POSTing to a small rerank endpoint on 127.0.0.1, so the
// requests counted are real HTTP requests.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
// @ai-sdk/provider 4 declares both specifications (ai 6 takes v3 models, ai 7 both).
import type { RerankingModelV3, RerankingModelV4 } from '@ai-sdk/provider';
import * as ai7 from 'ai';
import * as ai6 from 'ai-v6';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { wrapAISDKModel } from '../../src/ai-sdk/index.js';
import { memoryCache } from '../../src/cache/index.js';
import { type CacheStore, evaluate, type Metric, UnpricedModelError } from '../../src/index.js';

/** POST /rerank { query, documents, top_n }: documents scored by the words they share with the query. */
let server: http.Server;
let url: string;
let requests = 0;
/** When set, the next responses name this index (out of range) instead of the real ranking. */
let badIndex: number | undefined;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      requests++;
      const { query, documents, top_n } = JSON.parse(body) as {
        query: string;
        documents: string[];
        top_n?: number;
      };
      const words = new Set(query.split(' '));
      const results = documents
        .map((d, index) => ({
          index: badIndex ?? index,
          relevance_score: d.split(' ').filter((w) => words.has(w)).length / 10 + index / 1000,
        }))
        .sort((a, b) => b.relevance_score - a.relevance_score)
        .slice(0, top_n ?? documents.length);
      res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': `r${requests}` });
      res.end(JSON.stringify({ id: `r${requests}`, results }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/rerank`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  requests = 0;
  badIndex = undefined;
});

/** One rerank request to the endpoint, as a provider's doRerank sends it: the ranking and the response. */
async function post(
  { documents, query, topN, abortSignal }: Parameters<RerankingModelV4['doRerank']>[0],
  modelId: string,
) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, documents: documents.values, top_n: topN }),
    ...(abortSignal === undefined ? {} : { signal: abortSignal }),
  });
  const body = (await res.json()) as { id: string; results: { index: number; relevance_score: number }[] };
  return {
    ranking: body.results.map((r) => ({ index: r.index, relevanceScore: r.relevance_score })),
    response: { id: body.id, timestamp: new Date(), modelId, headers: Object.fromEntries(res.headers), body },
  };
}

/** A provider's reranking model of specification `version`, sending one POST per doRerank. */
function reranker(version: 'v3' | 'v4', modelId = 'rerank-mini'): RerankingModelV4 | RerankingModelV3 {
  const provider = 'test-rerank';
  if (version === 'v4')
    return { specificationVersion: 'v4', provider, modelId, doRerank: (o) => post(o, modelId) };
  return { specificationVersion: 'v3', provider, modelId, doRerank: (o) => post(o, modelId) };
}

const documents = ['sunny day in paris', 'rain in london', 'paris is the capital of france', 'snow in oslo'];
const rows = [
  { id: 'q0', input: 'capital of france' },
  { id: 'q1', input: 'rain today' },
  { id: 'q2', input: 'snow in the north' },
];
const any: Metric = { name: 'any', kind: 'binary', score: () => 1 };

interface AiMajor {
  rerank(o: object): Promise<{
    ranking: { originalIndex: number; score: number; document: unknown }[];
    rerankedDocuments: unknown[];
  }>;
}
const MAJORS: [string, AiMajor, 'v3' | 'v4'][] = [
  ['ai 7, specification v4', ai7 as unknown as AiMajor, 'v4'],
  ['ai 6, specification v3', ai6 as unknown as AiMajor, 'v3'],
];

/** The pipeline: rerank the documents against the row's question; the output is the ranking as JSON. */
const pipeline = (ai: AiMajor, model: unknown) => async (input: unknown) => {
  const r = await ai.rerank({ model, documents, query: String(input), topN: 2, maxRetries: 0 });
  return JSON.stringify({ ranking: r.ranking, documents: r.rerankedDocuments });
};

describe.each(MAJORS)('rerank() of %s through wrapAISDKModel', (_name, ai, version) => {
  it('is counted, cached, and replayed with 0 requests and the same ranking', async () => {
    const model = wrapAISDKModel(reranker(version));
    const cache: CacheStore = memoryCache();
    const run = (mode: 'read-write' | 'replay') =>
      evaluate(rows, pipeline(ai, model), [any], {
        cache: { store: cache, mode },
        progress: false,
        resamples: 10,
      });
    const live = await run('read-write');
    expect(live.examples.map((e) => e.error)).toEqual(rows.map(() => undefined));
    expect(requests).toBe(rows.length);
    expect(live.totals.requests).toBe(rows.length);
    expect(live.totals.byKind?.embedding).toEqual({ calls: rows.length, cacheHits: 0 });
    const first = JSON.parse(String(live.examples[0]!.output)) as { documents: string[] };
    expect(first.documents[0]).toBe('paris is the capital of france');
    for (const mode of ['read-write', 'replay'] as const) {
      const again = await run(mode);
      expect(again.totals).toMatchObject({ requests: 0, cacheHits: rows.length });
      expect(again.totals.byKind?.embedding).toEqual({ calls: rows.length, cacheHits: rows.length });
      expect(again.examples.map((e) => e.output)).toEqual(live.examples.map((e) => e.output));
    }
    expect(requests).toBe(rows.length);
  });

  it('is held by the budget: maxRequests stops the run, an unpriced reranker under maxCostUsd is never sent', async () => {
    const model = wrapAISDKModel(reranker(version));
    const capped = await evaluate(rows, pipeline(ai, model), [any], {
      budget: { maxRequests: 2 },
      concurrency: 1,
      progress: false,
      resamples: 10,
      maxFailureRate: 1,
    });
    expect(requests).toBe(2);
    expect(capped.totals.requests).toBe(2);
    expect(capped.run?.stoppedBy).toBe('budget');
    requests = 0;
    const refused = await evaluate(rows, pipeline(ai, model), [any], {
      budget: { maxCostUsd: 1 },
      progress: false,
      resamples: 10,
    }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UnpricedModelError);
    expect((refused as UnpricedModelError).model).toBe('rerank-mini');
    expect(requests).toBe(0);
  });

  it('fails a call whose ranking names a document that is not there, uncached', async () => {
    const model = wrapAISDKModel(reranker(version));
    const cache = memoryCache();
    badIndex = 7;
    const run = () =>
      evaluate([rows[0]!], pipeline(ai, model), [any], {
        cache,
        progress: false,
        resamples: 10,
        maxFailureRate: 1,
        retry: { maxRetries: 0 },
      });
    const first = await run();
    expect(first.examples[0]?.error?.message).toBe('test-rerank: the ranking names document 7 of 4');
    const again = await run();
    expect(again.totals.cacheHits).toBe(0);
    expect(requests).toBe(2);
  });

  it('outside a run the wrapped model is the plain model', async () => {
    const plain = await pipeline(ai, reranker(version))('capital of france');
    expect(await pipeline(ai, wrapAISDKModel(reranker(version)))('capital of france')).toBe(plain);
    expect(requests).toBe(2);
  });
});

describe('a reranking model', () => {
  it.each([
    ['v2', '`v2` (string)'],
    [undefined, '`undefined` (undefined)'],
  ])('of specification %s is refused, named as a reranking model', (spec, got) => {
    const model = { ...reranker('v4'), specificationVersion: spec };
    expect(() => wrapAISDKModel(model as never)).toThrow(
      new TypeError(
        `Expected \`model\` to be an AI SDK reranking model of specification v3 or v4 (ai 6 or 7), got specification ${got}`,
      ),
    );
  });
});
