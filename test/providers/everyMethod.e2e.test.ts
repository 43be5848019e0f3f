// Issue 20, item 1 ("Done when"): every method of the installed `openai` (7, and 6 as `openai-v6`) and
// `@anthropic-ai/sdk` (1, and 0.137 as `@anthropic-ai/sdk-v0`) clients that sends a request — enumerated from the SDKs' own resource classes, so that a
// method a new SDK version adds shows up here by itself — goes through the run's call runtime inside a run:
// counted (the run's totals equal the requests the capture server received, per method), cached (a second run
// with the same cache sends nothing), and replayed (replay mode sends nothing and succeeds). A method that sends
// nothing must be listed in LOCAL with its reason, and is checked to send nothing. Every method runs as one row
// of ONE evaluate() per pass, with a time limit of its own, against one capture server on 127.0.0.1.
import Anthropic from '@anthropic-ai/sdk';
import AnthropicV0 from '@anthropic-ai/sdk-v0';
import OpenAI from 'openai';
import OpenAIv6 from 'openai-v6';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryCache } from '../../src/cache/index.js';
import {
  type CacheStore,
  type EvalResult,
  evaluate,
  type Metric,
  ReplayMissError,
  wrapAnthropic,
  wrapOpenAI,
} from '../../src/index.js';
import {
  argsFor,
  METHOD_QUERY,
  methodAt,
  type SdkMethod,
  sdkMethods,
  startCaptureServer,
} from './_sdkMethods.js';

/** The time one method has to send and be read, in every pass. */
const METHOD_MS = 5_000;

/**
 * Methods that send no request, with the reason. Anything else that sends nothing fails the test: a method a
 * new SDK version adds must either send through the run or be added here with its reason.
 */
const LOCAL_OPENAI: Readonly<Record<string, string>> = {
  'webhooks.unwrap': 'verifies and parses a webhook payload locally (here: the test payload is refused)',
  'webhooks.verifySignature': 'checks a webhook signature locally (here: the test signature is refused)',
};
const LOCAL_OPENAI_7: Readonly<Record<string, string>> = {
  ...LOCAL_OPENAI,
  'beta.agents.sessions.artifacts.forResult':
    'wraps an agent result the caller already holds (beta); sends nothing until its own methods are called',
};

/** Methods that take longer than METHOD_MS against any server, with the time they get and the reason. */
const SLOW: Readonly<Record<string, number>> = {
  // openai 6 drops the caller's options when it polls the batch it created: it polls every 5 s.
  'vectorStores.fileBatches.uploadAndPoll': 12_000,
};
const LOCAL_ANTHROPIC: Readonly<Record<string, string>> = {
  'beta.webhooks.unwrap': 'verifies and parses a webhook payload locally (here: no webhook key, refused)',
  'beta.webhooks.parseUnverified': 'parses a webhook payload locally (here: the test payload is refused)',
  'beta.environments.work.worker':
    'builds an environment worker; it sends when run, through the work poller (checked: beta.environments.work.poller)',
};

/**
 * Methods that send through the run but only finish against a server that speaks their protocol (the capture
 * server answers every route with one generic body): each is checked to send and to be counted, not to succeed.
 */
const PROTOCOL: Readonly<Record<string, string>> = {
  'beta.agents.sessions.stream':
    'reads the session, then needs an idle agent session and its turn events to finish (openai 7 beta agents)',
  'beta.sessions.events.toolRunner':
    'follows a session event stream and reconnects until the session ends (Anthropic beta sessions)',
};

/** Methods that return an object which sends when used: how the test uses it. */
const THEN: Readonly<Record<string, (value: unknown) => unknown>> = {
  // A message thread sends nothing when made; each `send()` is one request.
  'beta.messages.thread': (thread) =>
    (thread as { send(m: unknown): unknown }).send({ role: 'user', content: 'hi' }),
};

/** A file the SDKs upload (multipart: counted, never cached). */
const file = () => new File(['hello'], 'hello.txt', { type: 'text/plain' });

/**
 * Arguments the SDK checks locally before it sends, which the declared parameter names cannot tell (each says
 * why); every other method gets its arguments from its declared parameters.
 */
const ARGS: Readonly<Record<string, (options: Record<string, unknown>) => unknown[]>> = {
  // Agent files are keyed by an absolute path inside /workspace, which the SDK validates.
  'beta.agents.environments.files.prepare': (o) => [{ '/workspace/hello.txt': file() }, o],
  'beta.agents.environments.files.upload': (o) => [
    'environment_1',
    { path: '/workspace/hello.txt', file: file() },
    o,
  ],
  // The work poller authenticates with the environment's key and takes request options of its own.
  'beta.environments.work.poller': (o) => [
    { environmentId: 'environment_1', environmentKey: 'key_1', signal: o.signal, requestOptions: o },
  ],
};

/** Iterators that never end by themselves (a worker's poll loop): read their first item, then stop. */
const ENDLESS = new Set(['beta.environments.work.poller']);

let server: Awaited<ReturnType<typeof startCaptureServer>>;
beforeAll(async () => {
  server = await startCaptureServer();
});
afterAll(() => server.close());

const done: Metric = { name: 'done', kind: 'binary', score: () => 1 };

/** Reads whatever a method returned to its end: promises, streams, runners, pages, raw responses. */
async function consume(value: unknown, endless = false): Promise<void> {
  const v = await value;
  if (endless && v !== null && typeof v === 'object' && Symbol.asyncIterator in v) {
    for await (const _ of v as AsyncIterable<unknown>) break;
    return;
  }
  if (v === null || typeof v !== 'object') return;
  if (v instanceof Response) {
    await v.arrayBuffer();
    return;
  }
  if (typeof (v as { done?: unknown }).done === 'function') {
    await (v as { done(): Promise<void> }).done();
    return;
  }
  if (Symbol.asyncIterator in v) for await (const _ of v as AsyncIterable<unknown>);
}

/** Rejects when `signal` aborts, with the reason, naming the method. */
function bounded<T>(work: Promise<T>, signal: AbortSignal, path: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error(`${path}: not done in time (${String(signal.reason)})`));
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

interface Pass {
  readonly result: EvalResult;
  /** Requests the server received in the pass, by method path ('' for requests without the method header). */
  readonly sent: ReadonlyMap<string, number>;
  /** Uploads (multipart or binary bodies) the server received in the pass, by method path. */
  readonly uploads: ReadonlyMap<string, number>;
  readonly sentTotal: number;
  /** The row error of each method that failed, by path. */
  readonly errors: ReadonlyMap<string, string>;
}

/** Runs every method once as a row of one evaluate(), and tallies what the server received. */
async function pass(
  make: Sdk['make'],
  methods: readonly SdkMethod[],
  cache: CacheStore,
  mode: 'read-write' | 'replay',
): Promise<Pass> {
  const byPath = new Map(methods.map((m) => [m.path, m]));
  const before = server.requests.length;
  const result = await evaluate(
    methods.map((m) => ({ id: m.path, input: m.path })),
    async (input, ctx) => {
      const m = byPath.get(String(input))!;
      // A client of its own per method: its default query tags its requests and keeps its cache entries apart.
      const invoke = (args: unknown[]) => methodAt(make({ [METHOD_QUERY]: m.path }), m.path)(...args);
      const limit = SLOW[m.path] ?? METHOD_MS;
      const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(limit)]);
      const options = {
        signal,
        maxRetries: 0,
        timeout: limit,
        pollIntervalMs: 1,
      };
      await bounded(
        (async () => {
          const value = invoke(ARGS[m.path]?.(options) ?? argsFor(m, options));
          const then = THEN[m.path];
          await consume(then === undefined ? value : then(await value), ENDLESS.has(m.path));
        })(),
        signal,
        m.path,
      );
      return 'ok';
    },
    [done],
    {
      cache: { store: cache, mode },
      retry: { maxRetries: 0 },
      timeoutMs: METHOD_MS,
      rowTimeoutMs: 3 * METHOD_MS,
      concurrency: 16,
      maxFailureRate: 1,
      progress: false,
      resamples: 10,
    },
  );
  // A request a method's time limit cut off may reach the server just after the run returned (it was sent, and
  // counted): the server's log is read once it has been quiet for a while, so it is not blamed on the next pass.
  await settled();
  const got = server.requests.slice(before);
  const sent = new Map<string, number>();
  const uploads = new Map<string, number>();
  for (const r of got) {
    sent.set(r.tag, (sent.get(r.tag) ?? 0) + 1);
    if (r.body === 'upload') uploads.set(r.tag, (uploads.get(r.tag) ?? 0) + 1);
  }
  const errors = new Map<string, string>();
  for (const e of result.examples)
    if (e.error !== undefined) errors.set(e.id, `${e.error.name}: ${e.error.message}`);
  return { result, sent, uploads, sentTotal: got.length, errors };
}

/** Resolves once the capture server has logged no request for 300 ms (at most 5 s). */
async function settled(): Promise<void> {
  const until = Date.now() + 5000;
  let seen = server.requests.length;
  while (Date.now() < until) {
    await new Promise((r) => setTimeout(r, 300));
    if (server.requests.length === seen) return;
    seen = server.requests.length;
  }
}

interface Sdk {
  readonly name: string;
  readonly version: string;
  readonly local: Readonly<Record<string, string>>;
  /** Methods the walk must find (helpers included). */
  readonly known: readonly string[];
  /** A wrapped client whose requests carry `query`. */
  readonly make: (query: Record<string, string>) => object;
}

async function versionOf(pkg: string): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const { createRequire } = await import('node:module');
  const entry = createRequire(import.meta.url).resolve(pkg);
  const root = entry.slice(0, entry.lastIndexOf(`/node_modules/${pkg}/`) + `/node_modules/${pkg}/`.length);
  return (JSON.parse(await readFile(`${root}package.json`, 'utf8')) as { version: string }).version;
}

/** Methods the walk must find on both openai majors (helpers included). */
const OPENAI_KNOWN = [
  'chat.completions.create',
  'chat.completions.parse',
  'chat.completions.stream',
  'chat.completions.runTools',
  'responses.stream',
  'embeddings.create',
  'vectorStores.files.createAndPoll',
];

/** Methods the walk must find on both @anthropic-ai/sdk majors (helpers included). */
const ANTHROPIC_KNOWN = [
  'messages.create',
  'messages.stream',
  'messages.parse',
  'messages.countTokens',
  'beta.messages.toolRunner',
];

const sdks: Sdk[] = [
  {
    name: 'openai',
    version: await versionOf('openai'),
    local: LOCAL_OPENAI_7,
    known: OPENAI_KNOWN,
    make: (defaultQuery) =>
      wrapOpenAI(
        new OpenAI({
          baseURL: server.url,
          apiKey: 'sk-test',
          adminAPIKey: 'sk-admin-test',
          maxRetries: 0,
          defaultQuery,
        }),
      ),
  },
  {
    name: 'openai',
    version: await versionOf('openai-v6'),
    local: LOCAL_OPENAI,
    known: OPENAI_KNOWN,
    make: (defaultQuery) =>
      wrapOpenAI(
        new OpenAIv6({
          baseURL: server.url,
          apiKey: 'sk-test',
          adminAPIKey: 'sk-admin-test',
          maxRetries: 0,
          defaultQuery,
        } as never),
      ),
  },
  {
    name: '@anthropic-ai/sdk',
    version: await versionOf('@anthropic-ai/sdk'),
    local: LOCAL_ANTHROPIC,
    known: ANTHROPIC_KNOWN,
    // An auth token rather than an API key: the SDK's runner helpers authenticate with one.
    make: (defaultQuery) =>
      wrapAnthropic(
        new Anthropic({ baseURL: server.origin, authToken: 'tok-test', maxRetries: 0, defaultQuery }),
      ),
  },
  {
    name: '@anthropic-ai/sdk',
    version: await versionOf('@anthropic-ai/sdk-v0'),
    local: LOCAL_ANTHROPIC,
    known: ANTHROPIC_KNOWN,
    make: (defaultQuery) =>
      wrapAnthropic(
        new AnthropicV0({ baseURL: server.origin, authToken: 'tok-test', maxRetries: 0, defaultQuery }),
      ),
  },
];

describe.each(sdks)('every request-sending method of $name $version', (sdk) => {
  it('is counted, cached and replayed inside a run; the methods that send nothing are the listed ones', {
    timeout: 90_000,
  }, async () => {
    server.reset();
    const methods = sdkMethods(sdk.make({}));
    expect(methods.length, 'the SDK exposes resource methods').toBeGreaterThan(100);
    // The walk reaches the helpers, not only the generated methods.
    const paths = new Set(methods.map((m) => m.path));
    for (const known of sdk.known) expect(paths, known).toContain(known);
    const problems: string[] = [];
    const cache = memoryCache();

    // Pass 1: a fresh cache. Every method sends (or is listed as local), succeeds, and is counted.
    const first = await pass(sdk.make, methods, cache, 'read-write');
    if (first.result.totals.requests !== first.sentTotal)
      problems.push(
        `pass 1: the run counted ${first.result.totals.requests} requests, the server got ${first.sentTotal}`,
      );
    if ((first.sent.get('') ?? 0) > 0)
      problems.push(`pass 1: ${first.sent.get('')} request(s) without the method header`);
    const sending: SdkMethod[] = [];
    for (const m of methods) {
      const n = first.sent.get(m.path) ?? 0;
      const error = first.errors.get(m.path);
      const reason = sdk.local[m.path];
      if (reason !== undefined) {
        if (n > 0) problems.push(`${m.path}: listed as local (${reason}) but sent ${n} request(s)`);
        continue;
      }
      if (PROTOCOL[m.path] !== undefined) {
        if (n === 0) problems.push(`${m.path}: a protocol helper that sent nothing (${error ?? 'no error'})`);
        continue;
      }
      if (n === 0)
        problems.push(`${m.path}: sent nothing and is not listed as local (${error ?? 'no error'})`);
      else if (error !== undefined) problems.push(`${m.path}: sent ${n} request(s) but failed: ${error}`);
      else sending.push(m);
    }
    for (const path of Object.keys(sdk.local))
      if (!methods.some((m) => m.path === path))
        problems.push(`${path}: listed as local but the SDK has no such method`);

    // Pass 2: the same cache. Nothing is sent again but uploads (multipart and binary bodies are never cached).
    const second = await pass(sdk.make, sending, cache, 'read-write');
    if (second.result.totals.requests !== second.sentTotal)
      problems.push(
        `pass 2: the run counted ${second.result.totals.requests} requests, the server got ${second.sentTotal}`,
      );
    for (const m of sending) {
      const want = first.uploads.get(m.path) ?? 0;
      const n = second.sent.get(m.path) ?? 0;
      if (n !== want)
        problems.push(`${m.path}: a second run with the same cache sent ${n} request(s), want ${want}`);
      const error = second.errors.get(m.path);
      if (error !== undefined) problems.push(`${m.path}: failed on the cached run: ${error}`);
    }
    const cacheable = sending.filter((m) => (first.uploads.get(m.path) ?? 0) === 0);
    expect(second.result.totals.cacheHits).toBeGreaterThanOrEqual(cacheable.length);

    // Pass 3: replay. Nothing is sent and every cacheable method succeeds from the cache.
    const third = await pass(sdk.make, cacheable, cache, 'replay');
    if (third.sentTotal !== 0)
      problems.push(`replay sent ${third.sentTotal} request(s): ${[...third.sent.keys()].join(', ')}`);
    expect(third.result.totals.requests).toBe(0);
    for (const [path, error] of third.errors) problems.push(`${path}: failed in replay: ${error}`);

    // An upload cannot be replayed: replay refuses it (the run ends with a ReplayMissError) before it is sent.
    for (const m of sending.filter((x) => !cacheable.includes(x))) {
      const before = server.requests.length;
      const err = await pass(sdk.make, [m], cache, 'replay').then(
        () => undefined,
        (e: unknown) => e,
      );
      if (!(err instanceof ReplayMissError))
        problems.push(`${m.path}: an upload in replay mode did not fail with a replay miss`);
      if (server.requests.length !== before) problems.push(`${m.path}: an upload in replay mode was sent`);
    }

    console.log(
      `${sdk.name} ${sdk.version}: ${methods.length} methods, ${methods.filter((m) => first.sent.has(m.path)).length} sent ${first.sentTotal} requests (run totals: ${first.result.totals.requests}), ` +
        `${cacheable.length} cached and replayed with 0 requests, ${sending.length - cacheable.length} uploads sent again and refused in replay, ` +
        `${Object.keys(sdk.local).length} local, ${Object.keys(PROTOCOL).filter((p) => paths.has(p)).length} protocol helpers (sent and counted); ${problems.length} problems`,
    );
    expect(problems).toEqual([]);
  });
});
