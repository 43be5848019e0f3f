// evalgateMiddleware in every middleware slot of the installed `ai` majors (7, and 6 and 5 as the aliases `ai-v6` /
// `ai-v5`): the language slots (wrapLanguageModel, wrapProvider's languageModelMiddleware) and the embedding slot
// (wrapEmbeddingModel) go through the run — counted, cached (a rerun sends nothing), replayed offline; the image
// slots (wrapImageModel, wrapProvider's imageModelMiddleware) are refused inside a run with an
// UnsupportedModelKindError before anything is sent. Outside a run each slot behaves as the unwrapped model.
// The slots are read from each major itself (its wrap* exports, wrapProvider's middleware options), so a slot a new
// `ai` adds fails here until it has a driver below.

import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createOpenAI as createOpenAIv4 } from '@ai-sdk/openai';
import { createOpenAI as createOpenAIv2 } from '@ai-sdk/openai-v2';
import { createOpenAI as createOpenAIv3 } from '@ai-sdk/openai-v3';
import * as ai7 from 'ai';
import * as ai5 from 'ai-v5';
import * as ai6 from 'ai-v6';
import { describe, expect, it } from 'vitest';
import { evalgateMiddleware, wrapAISDKModel } from '../../src/ai-sdk/index.js';
import { memoryCache } from '../../src/cache/index.js';
import { UnsupportedModelKindError } from '../../src/errors.js';
import { type CacheStore, evaluate } from '../../src/index.js';
import { aiSdkSuite } from './_aiSdkSuite.js';

const { server, rows, any } = aiSdkSuite();

/** The functions of one `ai` major this file calls, with one shape (the majors' overloads differ). */
interface AiMajor {
  generateText(o: object): Promise<{ text: string }>;
  streamText(o: object): { text: PromiseLike<string> };
  embed(o: object): Promise<{ embedding: number[] }>;
  embedMany(o: object): Promise<{ embeddings: number[][] }>;
  generateImage?(o: object): Promise<{ images: { base64: string }[] }>;
  experimental_generateImage?(o: object): Promise<{ images: { base64: string }[] }>;
  wrapLanguageModel(o: object): unknown;
  wrapEmbeddingModel?(o: object): unknown;
  wrapImageModel?(o: object): unknown;
  wrapProvider(o: object): Record<string, (id: string) => unknown>;
}
/** An `@ai-sdk/openai` provider of the major's specification, pointed at the mock. */
type OpenAIProvider = ((id: string) => unknown) & Record<string, (id: string) => unknown>;

const MAJORS: [string, AiMajor, (url: string) => OpenAIProvider][] = [
  ['ai 7', ai7 as unknown as AiMajor, (url) => createOpenAIv4({ baseURL: url, apiKey: 'k' }) as never],
  ['ai 6', ai6 as unknown as AiMajor, (url) => createOpenAIv3({ baseURL: url, apiKey: 'k' }) as never],
  ['ai 5', ai5 as unknown as AiMajor, (url) => createOpenAIv2({ baseURL: url, apiKey: 'k' }) as never],
];

/** The middleware slots of one `ai` module: its `wrap*Model` exports and wrapProvider's `*Middleware` options. */
function middlewareSlots(ai: object): string[] {
  const wraps = Object.keys(ai).filter((k) => /^wrap[A-Z]\w*Model$/.test(k));
  const provider = (ai as { wrapProvider?: unknown }).wrapProvider;
  const options =
    typeof provider === 'function'
      ? (/^function wrapProvider\s*\(\s*\{([^}]*)\}/.exec(String(provider))?.[1] ?? '')
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s.endsWith('Middleware'))
          .map((s) => `wrapProvider.${s}`)
      : [];
  return [...wraps, ...options].sort();
}

type Route = 'language' | 'embedding' | 'image';

/** What evalgateMiddleware does in each slot, and how a user's code reaches it. */
const SLOTS: Record<string, { route: Route; model(ai: AiMajor, p: OpenAIProvider): unknown }> = {
  wrapLanguageModel: {
    route: 'language',
    model: (ai, p) => ai.wrapLanguageModel({ model: p('mock-model'), middleware: evalgateMiddleware }),
  },
  'wrapProvider.languageModelMiddleware': {
    route: 'language',
    model: (ai, p) =>
      ai.wrapProvider({ provider: p, languageModelMiddleware: evalgateMiddleware }).languageModel!(
        'mock-model',
      ),
  },
  wrapEmbeddingModel: {
    route: 'embedding',
    model: (ai, p) =>
      ai.wrapEmbeddingModel!({ model: p.embedding!('mock-embedding'), middleware: evalgateMiddleware }),
  },
  wrapImageModel: {
    route: 'image',
    model: (ai, p) => ai.wrapImageModel!({ model: p.image!('mock-image'), middleware: evalgateMiddleware }),
  },
  'wrapProvider.imageModelMiddleware': {
    route: 'image',
    model: (ai, p) =>
      ai.wrapProvider({ provider: p, languageModelMiddleware: [], imageModelMiddleware: evalgateMiddleware })
        .imageModel!('mock-image'),
  },
};

describe('the middleware slots of the installed ai majors', () => {
  it.each(MAJORS)('%s: every slot is handled by evalgateMiddleware (routed or refused)', (_major, ai) => {
    const slots = middlewareSlots(ai);
    expect(slots.length).toBeGreaterThanOrEqual(2);
    expect(slots.filter((s) => !(s in SLOTS))).toEqual([]);
  });

  it.each(MAJORS.map(([major], i) => [major, ['ai', 'ai-v6', 'ai-v5'][i]!] as const))(
    '%s: every hook its wrap functions call is one evalgateMiddleware has',
    (_major, pkg) => {
      // The hooks each wrap function destructures from a middleware (`middleware: { transformParams, wrapEmbed, … }`),
      // read from the installed package's code: a hook a new version adds to a slot fails here.
      const dist = dirname(createRequire(import.meta.url).resolve(pkg));
      const code = readdirSync(dist)
        .filter((f) => f.endsWith('.js'))
        .map((f) => readFileSync(join(dist, f), 'utf8'))
        .join('\n');
      const hooks = new Set(
        [...code.matchAll(/middleware:\s*\{([^}]*)\}/g)].flatMap((m) => m[1]!.match(/\bwrap[A-Z]\w*/g) ?? []),
      );
      expect(hooks.size).toBeGreaterThanOrEqual(2);
      expect(
        [...hooks].filter(
          (h) => typeof (evalgateMiddleware as object as Record<string, unknown>)[h] !== 'function',
        ),
      ).toEqual([]);
    },
  );

  it('are the ones the tests below drive, per major', () => {
    expect(Object.fromEntries(MAJORS.map(([major, ai]) => [major, middlewareSlots(ai)]))).toEqual({
      'ai 7': [
        'wrapEmbeddingModel',
        'wrapImageModel',
        'wrapLanguageModel',
        'wrapProvider.imageModelMiddleware',
        'wrapProvider.languageModelMiddleware',
      ],
      'ai 6': [
        'wrapEmbeddingModel',
        'wrapImageModel',
        'wrapLanguageModel',
        'wrapProvider.imageModelMiddleware',
        'wrapProvider.languageModelMiddleware',
      ],
      'ai 5': ['wrapLanguageModel', 'wrapProvider.languageModelMiddleware'],
    });
  });
});

/** Each routed path: a model function of the slot's model, and the requests it sends per row. */
const PATHS: Record<
  Exclude<Route, 'image'>,
  [string, (ai: AiMajor, m: unknown) => (x: unknown) => Promise<string>, number][]
> = {
  language: [
    [
      'generateText',
      (ai, model) => async (x) => (await ai.generateText({ model, prompt: String(x), maxRetries: 0 })).text,
      1,
    ],
    [
      'streamText',
      (ai, model) => async (x) => await ai.streamText({ model, prompt: String(x), maxRetries: 0 }).text,
      1,
    ],
  ],
  embedding: [
    [
      'embed',
      (ai, model) => async (x) =>
        JSON.stringify((await ai.embed({ model, value: String(x), maxRetries: 0 })).embedding),
      1,
    ],
    [
      'embedMany (one call per value: maxEmbeddingsPerCall 1)',
      (ai, model) => async (x) =>
        JSON.stringify(
          (
            await ai.embedMany({
              model: Object.assign(Object.create(model as object), { maxEmbeddingsPerCall: 1 }),
              values: [`${x} a`, `${x} b`],
              maxRetries: 0,
            })
          ).embeddings,
        ),
      2,
    ],
  ],
};

const routed = MAJORS.flatMap(([major, ai, provider]) =>
  middlewareSlots(ai).flatMap((slot) => {
    const s = SLOTS[slot];
    if (s === undefined || s.route === 'image') return [];
    return PATHS[s.route].map(
      ([path, fn, calls]) => [`${major}: ${slot}, ${path}`, ai, provider, s, fn, calls] as const,
    );
  }),
);

describe.each(routed)('%s with evalgateMiddleware', (_name, ai, provider, slot, path, calls) => {
  it('is counted, cached, and replayed offline with the same outputs', async () => {
    const fn = path(ai, slot.model(ai, provider(server.url)));
    const cache: CacheStore = memoryCache();
    const run = (mode: 'read-write' | 'replay') =>
      evaluate(rows, fn, [any], { cache: { store: cache, mode }, progress: false, resamples: 10 });
    server.reset();
    const live = await run('read-write');
    expect(live.examples.map((e) => e.error)).toEqual(rows.map(() => undefined));
    expect(server.stats.requests).toBe(rows.length * calls);
    expect(live.totals.requests).toBe(rows.length * calls);
    expect(live.totals.inputTokens).toBeGreaterThan(0);
    if (slot.route === 'embedding') expect(live.totals.byKind?.embedding.calls).toBe(rows.length * calls);
    for (const mode of ['read-write', 'replay'] as const) {
      const again = await run(mode);
      expect(again.totals).toMatchObject({ requests: 0, cacheHits: rows.length * calls });
      expect(again.examples.map((e) => e.output)).toEqual(live.examples.map((e) => e.output));
    }
    // Replay offline: the mock is gone from the picture, nothing more reached it.
    expect(server.stats.requests).toBe(rows.length * calls);
  });

  it('outside a run is the unwrapped model', async () => {
    const p = provider(server.url);
    const plainModel =
      slot.route === 'embedding'
        ? p.embedding!('mock-embedding')
        : (p as (id: string) => unknown)('mock-model');
    server.reset();
    const plain = await path(ai, plainModel)('hello');
    expect(await path(ai, slot.model(ai, p))('hello')).toBe(plain);
    expect(server.stats.requests).toBe(2 * calls);
  });
});

/** An image model of the major's specification that answers without a network, counting its calls. */
function fakeImageModel(spec: string) {
  return {
    specificationVersion: spec,
    provider: 'fake',
    modelId: 'fake-image',
    maxImagesPerCall: 1,
    sent: 0,
    async doGenerate() {
      this.sent++;
      return {
        images: ['aGk='],
        warnings: [],
        response: { timestamp: new Date(0), modelId: 'fake-image', headers: {} },
      };
    },
  };
}

const refused = MAJORS.flatMap(([major, ai, provider]) =>
  middlewareSlots(ai)
    .filter((slot) => SLOTS[slot]?.route === 'image')
    .map((slot) => [`${major}: ${slot}`, major, ai, provider, slot] as const),
);

describe.each(refused)('%s with evalgateMiddleware', (_name, major, ai, provider, slot) => {
  const generateImage = (o: object) => (ai.generateImage ?? ai.experimental_generateImage)!(o);

  it('is refused inside a run with UnsupportedModelKindError, before anything is sent', async () => {
    const model = SLOTS[slot]!.model(ai, provider(server.url));
    server.reset();
    const result = await evaluate(
      rows,
      async (x) => (await generateImage({ model, prompt: String(x), maxRetries: 0 })).images[0]!.base64,
      [any],
      { cache: memoryCache(), progress: false, resamples: 10, maxFailureRate: 1 },
    );
    expect(server.stats.requests).toBe(0);
    for (const e of result.examples) {
      expect(e.error?.message).toBe(
        `evalgateMiddleware routes AI SDK language and embedding models inside evaluate() (wrapLanguageModel, ` +
          `wrapEmbeddingModel, wrapProvider's languageModelMiddleware); got an image model (generateImage) ` +
          `"openai.image" "mock-image" of specification ${major === 'ai 7' ? 'v4' : 'v3'}, whose calls evalgate ` +
          `cannot count, cache or replay: call it outside evaluate(), or through ctx.call with the request and a ` +
          `JSON value to cache`,
      );
    }
    expect(result.totals.requests).toBe(0);
  });

  it('throws the UnsupportedModelKindError itself, with its kind', async () => {
    const wrap = slot === 'wrapImageModel' ? ai.wrapImageModel! : undefined;
    const fake = fakeImageModel(major === 'ai 7' ? 'v4' : 'v3');
    const model =
      wrap === undefined
        ? ai.wrapProvider({
            provider: { ...provider(server.url), imageModel: () => fake },
            languageModelMiddleware: [],
            imageModelMiddleware: evalgateMiddleware,
          }).imageModel!('fake-image')
        : wrap({ model: fake, middleware: evalgateMiddleware });
    let caught: unknown;
    await evaluate(
      [rows[0]!],
      async (x) => {
        try {
          return (await generateImage({ model, prompt: String(x), maxRetries: 0 })).images[0]!.base64;
        } catch (err) {
          caught = err;
          throw err;
        }
      },
      [any],
      { progress: false, resamples: 10, maxFailureRate: 1 },
    );
    expect(caught).toBeInstanceOf(UnsupportedModelKindError);
    expect(caught).toMatchObject({ code: 'E_UNSUPPORTED_MODEL_KIND', modelKind: 'image' });
    expect(fake.sent).toBe(0);
  });

  it('outside a run is the unwrapped model', async () => {
    const fake = fakeImageModel(major === 'ai 7' ? 'v4' : 'v3');
    const wrapped = ai.wrapImageModel!({ model: fake, middleware: evalgateMiddleware });
    const plain = await generateImage({ model: fake, prompt: 'p', maxRetries: 0 });
    const viaMiddleware = await generateImage({ model: wrapped, prompt: 'p', maxRetries: 0 });
    expect(viaMiddleware.images.map((i) => i.base64)).toEqual(plain.images.map((i) => i.base64));
    expect(fake.sent).toBe(2);
  });
});

describe('an image model whose maxImagesPerCall is a function (allowed by every specification)', () => {
  const fake = () => Object.assign(fakeImageModel('v4'), { maxImagesPerCall: () => 1 });

  it('is refused by wrapAISDKModel as an image model', () => {
    expect(() => wrapAISDKModel(fake() as never)).toThrow(
      expect.objectContaining({ name: 'UnsupportedModelKindError', modelKind: 'image' }),
    );
  });

  it('is refused inside a run by evalgateMiddleware as an image model, nothing sent', async () => {
    const model = fake();
    const wrapped = ai7.wrapImageModel({ model: model as never, middleware: evalgateMiddleware });
    const result = await evaluate(
      [rows[0]!],
      async () => (await ai7.generateImage({ model: wrapped, prompt: 'p', maxRetries: 0 })).images[0]!.base64,
      [any],
      { progress: false, resamples: 10, maxFailureRate: 1 },
    );
    expect(result.examples[0]?.error?.message).toContain(
      'got an image model (generateImage) "fake" "fake-image"',
    );
    expect(model.sent).toBe(0);
  });
});

describe('wrapProvider has no embedding slot in ai 5, 6 or 7', () => {
  // The AI SDK hands out the provider's own embedding model: its calls go around any middleware, evalgate's
  // included. The README says to wrap it with wrapEmbeddingModel or wrapAISDKModel; this pins the fact, so that an
  // `ai` adding an embedding slot to wrapProvider fails here (and in the slot list above) until it is handled.
  it.each(MAJORS)('%s: provider.embeddingModel() is the provider own model', (_major, ai, provider) => {
    const p = provider(server.url);
    const wrapped = ai.wrapProvider({ provider: p, languageModelMiddleware: evalgateMiddleware });
    const make = (wrapped.embeddingModel ?? wrapped.textEmbeddingModel)!;
    const model = make('mock-embedding') as { doEmbed?: unknown; provider?: unknown };
    expect(typeof model.doEmbed).toBe('function');
    expect(Object.getPrototypeOf(model)).toBe(Object.getPrototypeOf(p.embedding!('mock-embedding')));
  });
});

// evalgateMiddleware fits every slot's middleware type without a cast (tsc checks this file).
it('fits the middleware type of every slot of ai 7, 6 and 5', () => {
  const p7 = createOpenAIv4({ apiKey: 'k' });
  const p6 = createOpenAIv3({ apiKey: 'k' });
  const p5 = createOpenAIv2({ apiKey: 'k' });
  const wrapped = [
    ai7.wrapLanguageModel({ model: p7('m'), middleware: evalgateMiddleware }),
    ai7.wrapEmbeddingModel({ model: p7.embedding('m'), middleware: evalgateMiddleware }),
    ai7.wrapImageModel({ model: p7.image('m'), middleware: evalgateMiddleware }),
    ai7.wrapProvider({
      provider: p7,
      languageModelMiddleware: evalgateMiddleware,
      imageModelMiddleware: evalgateMiddleware,
    }),
    ai6.wrapLanguageModel({ model: p6('m'), middleware: evalgateMiddleware }),
    ai6.wrapEmbeddingModel({ model: p6.embedding('m'), middleware: evalgateMiddleware }),
    ai6.wrapImageModel({ model: p6.image('m'), middleware: evalgateMiddleware }),
    ai6.wrapProvider({
      provider: p6,
      languageModelMiddleware: evalgateMiddleware,
      imageModelMiddleware: evalgateMiddleware,
    }),
    ai5.wrapLanguageModel({ model: p5('m'), middleware: evalgateMiddleware }),
    ai5.wrapProvider({ provider: p5, languageModelMiddleware: evalgateMiddleware }),
  ];
  expect(wrapped).toHaveLength(10);
});
