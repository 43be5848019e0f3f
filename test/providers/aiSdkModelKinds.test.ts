// Every kind of model the installed AI SDK provider specification declares (@ai-sdk/provider 4 for `ai` 7, with
// its v3 and v2 types, and @ai-sdk/provider 3 for `ai` 6), read from the package's .d.ts at test time, is either
// routed by wrapAISDKModel (language, embedding, reranking) or refused with an UnsupportedModelKindError naming the
// kind, before anything is sent. A kind a new `ai` version adds is missing from KINDS below and fails the test
// until it is routed or refused on purpose.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createOpenAI as createOpenAIv4 } from '@ai-sdk/openai';
import { createOpenAI as createOpenAIv3 } from '@ai-sdk/openai-v3';
import { describe, expect, it } from 'vitest';
import { wrapAISDKModel } from '../../src/ai-sdk/index.js';
import { UnsupportedModelKindError } from '../../src/index.js';

/** What wrapAISDKModel does with each kind, by its specification's type name without the version. */
const KINDS: Record<string, string> = {
  LanguageModel: 'language',
  EmbeddingModel: 'embedding',
  RerankingModel: 'reranking',
  ImageModel: 'image',
  VideoModel: 'video',
  SpeechModel: 'speech-or-transcription',
  StreamingSpeechModel: 'speech-or-transcription',
  TranscriptionModel: 'speech-or-transcription',
  SpeechTranslationModel: 'speech-translation',
  DecisionModel: 'decision',
  ExtractionModel: 'extraction',
  RealtimeModel: 'realtime',
  Batch: 'batch',
  Files: 'files',
  Skills: 'skills',
};
const ROUTED = new Set(['language', 'embedding', 'reranking']);

/** A type's members: fields and methods, each required or optional (`?`). */
interface Members {
  readonly fields: readonly string[];
  readonly methods: readonly string[];
  readonly optionalFields: readonly string[];
  readonly optionalMethods: readonly string[];
}

/** One specification type of a .d.ts: its name, version and members. */
interface Spec extends Members {
  readonly name: string;
  readonly version: string;
}

const require = createRequire(import.meta.url);
/** The .d.ts of an installed package (its `types` entry). */
function dts(pkg: string): string {
  const dir = dirname(require.resolve(`${pkg}/package.json`));
  const { types } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { types: string };
  return readFileSync(join(dir, types), 'utf8');
}

/** The members of a type body (top level only, comments removed). */
function membersOf(body: string): Members {
  const clean = body.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  const indent = /^([ \t]*)\S/m.exec(clean)?.[1] ?? '';
  const out = { fields: [], methods: [], optionalFields: [], optionalMethods: [] } as Record<
    keyof Members,
    string[]
  >;
  for (const m of clean.matchAll(new RegExp(`^${indent}(?:readonly )?(\\w+)(\\??)(\\(|:|<)`, 'gm'))) {
    const method = m[3] !== ':' || /^\s*\(/.test(clean.slice((m.index ?? 0) + m[0].length));
    out[m[2] === '?' ? (method ? 'optionalMethods' : 'optionalFields') : method ? 'methods' : 'fields'].push(
      m[1]!,
    );
  }
  return out;
}

/**
 * Every specification type of a .d.ts: a top-level type or interface whose body declares
 * `specificationVersion`, and a type extending one with `&` (StreamingSpeechModelV4 = SpeechModelV4 & { ... }).
 * Middlewares (which wrap a model) and the provider interfaces (factories) are not model kinds.
 */
function specsOf(text: string): Spec[] {
  const out = new Map<string, Spec>();
  const block = /^(?:export )?(?:declare )?(?:type|interface) (\w+)(?:<[^\n]*?>)?(?: =)? \{\n([\s\S]*?)^\}/gm;
  for (const [, name, body] of text.matchAll(block)) {
    const v = /^\s*readonly specificationVersion: '(v\d+)';/m.exec(body!);
    if (v === null || /Middleware$|^Provider/.test(name!)) continue;
    out.set(name!, { name: name!, version: v[1]!, ...membersOf(body!) });
  }
  const extended = /^(?:export )?(?:declare )?type (\w+) = (\w+) & \{\n([\s\S]*?)^\}/gm;
  for (const [, name, base, body] of text.matchAll(extended)) {
    const b = out.get(base!);
    if (b === undefined) continue;
    const own = membersOf(body!);
    out.set(name!, {
      name: name!,
      version: b.version,
      fields: [...b.fields, ...own.fields],
      methods: [...b.methods, ...own.methods],
      optionalFields: [...b.optionalFields, ...own.optionalFields],
      optionalMethods: [...b.optionalMethods, ...own.optionalMethods],
    });
  }
  return [...out.values()];
}

/** The type each method of a provider interface (ProviderV4 ...) returns: `imageModel` => `ImageModelV4`. */
function providerMethods(text: string, provider: string): Map<string, string> {
  const body = new RegExp(`^(?:export )?interface ${provider} \\{\\n([\\s\\S]*?)^\\}`, 'm').exec(text)?.[1];
  if (body === undefined) throw new Error(`${provider} not found`);
  const clean = body.replace(/\/\*[\s\S]*?\*\//g, '');
  return new Map(
    [...clean.matchAll(/^\s*(\w+)\??\([^)]*\): (\w+);/gm)].map(([, method, type]) => [method!, type!]),
  );
}

const baseName = (type: string) => type.replace(/V\d+$/, '');

const SOURCES = [
  ['@ai-sdk/provider (ai 7)', dts('@ai-sdk/provider'), ['ProviderV4', 'ProviderV3']],
  ['@ai-sdk/provider-v3 (ai 6)', dts('@ai-sdk/provider-v3'), ['ProviderV3']],
] as const;

/**
 * A model of `spec` built from its required members, and its optional ones with `optional`: methods that record
 * being called.
 */
function fakeOf(spec: Spec, called: string[], optional: boolean): Record<string, unknown> {
  const model: Record<string, unknown> = {};
  for (const f of optional ? [...spec.fields, ...spec.optionalFields] : spec.fields)
    model[f] = f.startsWith('max') ? 1 : f.startsWith('supports') ? true : f === 'provider' ? 'fake' : {};
  model.specificationVersion = spec.version;
  if (spec.fields.includes('modelId')) model.modelId = `fake-${spec.name}`;
  for (const m of optional ? [...spec.methods, ...spec.optionalMethods] : spec.methods)
    model[m] = async () => {
      called.push(m);
      throw new Error(`${m} was called`);
    };
  return model;
}

describe.each(SOURCES)('the model kinds of %s', (_pkg, text, providers) => {
  const specs = specsOf(text);

  it('are the kinds wrapAISDKModel knows: each routed or refused on purpose', () => {
    expect(specs.length).toBeGreaterThan(5);
    const found = [...new Set(specs.map((s) => baseName(s.name)))].sort();
    expect(found.filter((k) => !(k in KINDS))).toEqual([]);
  });

  it.each(providers)('%s makes only kinds wrapAISDKModel knows', (provider) => {
    const methods = providerMethods(text, provider);
    expect(methods.size).toBeGreaterThan(3);
    for (const [method, type] of methods)
      expect(KINDS[baseName(type)], `${provider}.${method}`).toBeDefined();
  });

  it.each(specs.flatMap((s) => [[s.name, 'required', s] as const, [s.name, 'every', s] as const]))(
    '%s with its %s member(s) is routed or refused with its kind, nothing called',
    (_name, members, spec) => {
      const called: string[] = [];
      const model = fakeOf(spec, called, members === 'every');
      const kind = KINDS[baseName(spec.name)]!;
      if (ROUTED.has(kind)) {
        expect(
          (wrapAISDKModel(model as never) as { specificationVersion: unknown }).specificationVersion,
        ).toBe(spec.version);
      } else {
        let err: unknown;
        try {
          wrapAISDKModel(model as never);
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(UnsupportedModelKindError);
        expect(err).toMatchObject({
          code: 'E_UNSUPPORTED_MODEL_KIND',
          modelKind: kind,
          supported: ['language', 'embedding', 'reranking'],
        });
        expect((err as Error).message).toMatch(
          /^wrapAISDKModel routes AI SDK language, embedding and reranking models \(generateText, streamText, generateObject, embed, embedMany, rerank\); got /,
        );
      }
      expect(called).toEqual([]);
    },
  );
});

describe("the OpenAI provider's models", () => {
  /** Each model factory of the provider, with the kind wrapAISDKModel takes it for. */
  const FACTORIES: [string, (p: Record<string, (id?: string) => unknown>) => unknown, string][] = [
    ['languageModel', (p) => p.languageModel!('gpt-4o-mini'), 'language'],
    ['embeddingModel', (p) => p.embeddingModel!('text-embedding-3-small'), 'embedding'],
    ['imageModel', (p) => p.imageModel!('dall-e-3'), 'image'],
    ['transcriptionModel', (p) => p.transcriptionModel!('whisper-1'), 'speech-or-transcription'],
    ['speechModel', (p) => p.speechModel!('tts-1'), 'speech-or-transcription'],
    ['speechTranslationModel', (p) => p.speechTranslationModel!('gpt-4o-transcribe'), 'speech-translation'],
    ['decisionModel', (p) => p.decisionModel!('gpt-4o-mini'), 'decision'],
    ['extractionModel', (p) => p.extractionModel!('gpt-4o-mini'), 'extraction'],
    ['experimental_batch', (p) => p.experimental_batch!('gpt-4o-mini'), 'batch'],
    ['experimental_realtime', (p) => p.experimental_realtime!('gpt-realtime'), 'realtime'],
    ['files', (p) => p.files!(), 'files'],
    ['skills', (p) => p.skills!(), 'skills'],
  ];
  const providers = [
    ['@ai-sdk/openai 4 (ai 7)', createOpenAIv4],
    ['@ai-sdk/openai 3 (ai 6)', createOpenAIv3],
  ] as const;
  const cases = providers.flatMap(([name, create]) =>
    FACTORIES.map(([method, make, kind]) => [`${name}: ${method}`, create, method, make, kind] as const),
  );

  it.each(cases)('%s', (_name, create, method, make, kind) => {
    let sent = 0;
    const fetch = async () => {
      sent++;
      return new Response('{}', { status: 500 });
    };
    const provider = create({ apiKey: 'k', baseURL: 'http://127.0.0.1:9/v1', fetch }) as unknown as Record<
      string,
      (id?: string) => unknown
    >;
    if (typeof provider[method] !== 'function') return; // not in this major
    const model = make(provider);
    if (ROUTED.has(kind)) expect(() => wrapAISDKModel(model as never)).not.toThrow();
    else expect(() => wrapAISDKModel(model as never)).toThrow(UnsupportedModelKindError);
    expect(sent).toBe(0);
  });

  it('a transcription model is refused by name, not taken for a language model (it has doGenerate and doStream)', () => {
    const model = createOpenAIv4({ apiKey: 'k' }).transcription('whisper-1');
    expect(typeof model.doStream).toBe('function');
    expect(() => wrapAISDKModel(model as never)).toThrow(
      new UnsupportedModelKindError(
        'wrapAISDKModel routes AI SDK language, embedding and reranking models (generateText, streamText, ' +
          'generateObject, embed, embedMany, rerank); got a speech or transcription model (generateSpeech, ' +
          'transcribe) "openai.transcription" "whisper-1" of specification v4, whose calls evalgate cannot count, ' +
          'cache or replay: call it outside evaluate(), or through ctx.call with the request and a JSON value to cache',
        'speech-or-transcription',
        ['language', 'embedding', 'reranking'],
      ),
    );
  });
});
