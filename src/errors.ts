import { _redactKnownSecrets } from './_internal/redactSecrets.js';

/**
 * evalgate's errors: one base class with a string `code` and structured fields, and subclasses where a
 * caller branches. Bad arguments are plain `TypeError` / `RangeError`; cancellation is the platform's
 * `AbortError` (a `DOMException`), and provider failures stay the openai SDK's `APIError`s (kept as `cause`).
 * @module
 */

/** Structured fields every evalgate error may carry. */
export interface EvalgateErrorFields {
  readonly cause?: unknown;
  /** The example the error concerns. */
  readonly exampleId?: string;
  /** HTTP status of the provider response, when there was one. */
  readonly status?: number;
}

/**
 * Base class: `code` is stable and meant for branching; `message` is for people. Every evalgate error below
 * extends it (bad arguments are plain `TypeError` / `RangeError`); a row's error is stored on its record as a
 * {@link SerializedError} that keeps the same `name` and `code`.
 *
 * @example
 * ```ts
 * try {
 *   await evaluate(dataset, model, metrics);
 * } catch (err) {
 *   if (!(err instanceof EvalgateError)) throw err; // a TypeError for a bad option, an AbortError, ...
 *   console.error(err.code, err.exampleId ?? '', err.message);
 *   // => 'E_REPLAY_MISS' 'q0' 'Replay miss: no cached response for example "q0" ...'
 * }
 * ```
 */
export class EvalgateError extends Error {
  readonly code: string;
  readonly exampleId?: string;
  readonly status?: number;

  constructor(code: string, message: string, fields: EvalgateErrorFields = {}) {
    super(message, fields.cause === undefined ? undefined : { cause: fields.cause });
    this.name = new.target.name;
    this.code = code;
    if (fields.exampleId !== undefined) this.exampleId = fields.exampleId;
    if (fields.status !== undefined) this.status = fields.status;
  }
}

/**
 * A dataset row or source is unusable: not an object, a duplicate id, an empty dataset, a bad JSONL line.
 * `evaluate()` throws it when it reaches the row; `line` names a JSONL line, `position` an array row.
 *
 * @example
 * ```ts
 * try {
 *   await evaluate(loadJsonl('qa.jsonl'), model, [exactMatch()]); // line 3 of qa.jsonl is not JSON
 * } catch (err) {
 *   if (err instanceof DatasetError) err.line;
 *   // => 3
 * }
 * try {
 *   await evaluate([{ id: 'a', input: 1 }, { id: 'a', input: 2 }], model, [exactMatch()]);
 * } catch (err) {
 *   if (err instanceof DatasetError) [err.position, err.exampleId];
 *   // => [1, 'a'] ('dataset row 1: duplicate example id "a"')
 * }
 * ```
 */
export class DatasetError<R = unknown> extends EvalgateError {
  /** 1-based line number for JSONL sources, 0-based position otherwise. */
  readonly line?: number;
  readonly position?: number;
  /**
   * When the dataset failed after rows had run (a cut file's last line, a source whose connection dropped): the
   * partial result of those rows (`run.stoppedBy: 'abort'`, its first warning naming this error), so nothing paid
   * for is lost. The rows in flight
   * finished first. Absent when no row had run. Not enumerable (printing the error does not print every record).
   */
  declare readonly result?: R;

  constructor(message: string, fields: EvalgateErrorFields & { line?: number; position?: number } = {}) {
    super('E_DATASET', message, fields);
    if (fields.line !== undefined) this.line = fields.line;
    if (fields.position !== undefined) this.position = fields.position;
  }
}

/**
 * A model call did not answer within `timeoutMs`, a row's model phase within `rowTimeoutMs`, or a metric
 * within `metricTimeoutMs`. The row (or the score) fails, not the run: the error is on the row's record, or
 * in the record's `details` for a metric. Inside a pipeline, a call through a wrapped client or `ctx.call` that
 * times out on its last attempt throws it.
 *
 * @example
 * ```ts
 * const result = await evaluate(dataset, slowPipeline, [exactMatch()], { rowTimeoutMs: 100 });
 * result.examples.filter((r) => r.error?.code === 'E_TIMEOUT').map((r) => r.id);
 * // => ['q0']
 * ```
 */
export class TimeoutError extends EvalgateError {
  readonly timeoutMs: number;
  constructor(message: string, timeoutMs: number, fields: EvalgateErrorFields = {}) {
    super('E_TIMEOUT', message, fields);
    this.timeoutMs = timeoutMs;
  }
}

/**
 * The model returned something that is neither a string nor a `ModelOutput`. The row fails (it is counted in
 * `nFailed`, left out of every metric) and its record keeps the error; `openaiModel()` raises it too for an
 * example whose input it cannot turn into chat messages.
 *
 * @example
 * ```ts
 * const answers = JSON.parse(await readFile('answers.json', 'utf8')); // q3's answer is 42, not '42'
 * const result = await evaluate(dataset, async (_input, ctx) => answers[ctx.example.id], [exactMatch()]);
 * result.examples.find((r) => r.error?.code === 'E_MODEL_OUTPUT')?.error?.message;
 * // => 'The model returned `42` (number) for example "q3": expected a string or { output: string }'
 * ```
 */
export class ModelOutputError extends EvalgateError {
  constructor(message: string, fields: EvalgateErrorFields = {}) {
    super('E_MODEL_OUTPUT', message, fields);
  }
}

/**
 * The provider kept answering 429 after every retry, or asked to wait longer than `retry.maxWaitMs`. The call
 * that met it throws it (the row fails with it unless the pipeline catches it); `retryAfterMs` is the wait the
 * provider asked for, when it said.
 *
 * @example
 * ```ts
 * const client = wrapOpenAI(new OpenAI());
 * const pipeline = async (input: unknown) => {
 *   try {
 *     const r = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: String(input) }] });
 *     return r.choices[0]?.message.content ?? '';
 *   } catch (err) {
 *     if (err instanceof RateLimitError) console.warn(`rate limited, provider asked for ${err.retryAfterMs} ms`);
 *     throw err; // the row fails; its record's error.code is 'E_RATE_LIMIT'
 *   }
 * };
 * ```
 */
export class RateLimitError extends EvalgateError {
  /** Milliseconds the provider asked us to wait, when it said. */
  readonly retryAfterMs?: number;
  constructor(message: string, fields: EvalgateErrorFields & { retryAfterMs?: number } = {}) {
    super('E_RATE_LIMIT', message, fields);
    if (fields.retryAfterMs !== undefined) this.retryAfterMs = fields.retryAfterMs;
  }
}

/**
 * `cache.mode === 'replay'` and a request has no cached response, or its cache read failed (the message then
 * says so, with the store's error as `cause`): raised before any network call. It ends the run: `evaluate()` throws it, with the missing entry's cache `key` (`''` when a row finished without any call
 * through evalgate, so there was nothing to look up) and the row's `exampleId`.
 *
 * @example
 * ```ts
 * try {
 *   await evaluate(dataset, openaiModel({ model: 'gpt-4o-mini', client }), [exactMatch()], {
 *     cache: { store: sqliteCache('.evalgate/cache.sqlite'), mode: 'replay' },
 *   });
 * } catch (err) {
 *   if (err instanceof ReplayMissError) console.error(`record "${err.exampleId}" first`, err.key);
 *   // => 'record "q0" first' '7ba619b78d22…'
 * }
 * ```
 */
export class ReplayMissError extends EvalgateError {
  readonly key: string;
  constructor(message: string, key: string, fields: EvalgateErrorFields = {}) {
    super('E_REPLAY_MISS', message, fields);
    this.key = key;
  }
}

/**
 * A judge verdict did not parse or was off-scale. The raw text is kept in `raw`. evalgate's judges
 * (`llmJudge`, `gEval`, `pairwiseJudge`, the RAG metrics) catch it and record a *missing* score, never a default
 * one: the record's `details` hold the message and the raw reply.
 *
 * @example
 * ```ts
 * const result = await evaluate(dataset, model, [llmJudge({ model: 'gpt-4o', rubric: 'Correct and complete.' })]);
 * const bad = result.examples.find((r) => r.scores.llm_judge === null);
 * bad?.details?.llm_judge;
 * // => { error: 'llmJudge: expected an integer `score`, got `4.5` (number)', raw: '{"reason":"…","score":4.5}' }
 * ```
 */
export class JudgeParseError extends EvalgateError {
  readonly raw: string;
  constructor(message: string, raw: string, fields: EvalgateErrorFields = {}) {
    super('E_JUDGE_PARSE', message, fields);
    this.raw = raw;
  }
}

/**
 * More examples failed than `maxFailureRate` allows. The partial result is attached so nothing paid for is
 * lost: `error.result` holds every record, failed ones with their errors.
 *
 * @example
 * ```ts
 * try {
 *   await evaluate(dataset, model, [exactMatch()]); // maxFailureRate defaults to 0.05
 * } catch (err) {
 *   if (!(err instanceof FailureRateExceededError)) throw err;
 *   const result = err.result as EvalResult;
 *   [err.failureRate, err.maxFailureRate, result.nFailed, result.n];
 *   // => [0.25, 0.05, 5, 20]
 *   await saveResult(result, 'partial.json');
 * }
 * ```
 */
export class FailureRateExceededError<R = unknown> extends EvalgateError {
  readonly result: R;
  readonly failureRate: number;
  readonly maxFailureRate: number;
  constructor(message: string, result: R, failureRate: number, maxFailureRate: number) {
    super('E_FAILURE_RATE', message);
    this.result = result;
    this.failureRate = failureRate;
    this.maxFailureRate = maxFailureRate;
  }
}

/**
 * Two results cannot be compared: different examples, unpaired ids, a metric missing on one side. `compare()`
 * throws it; for unpaired rows `exampleId` names the first one.
 *
 * @example
 * ```ts
 * try {
 *   compare(baseline, candidate); // the candidate ran on fewer examples
 * } catch (err) {
 *   if (err instanceof ComparisonError) err.exampleId;
 *   // => 'q10' (pass `allowUnpaired: true` to compare the shared rows)
 * }
 * ```
 */
export class ComparisonError extends EvalgateError {
  /** @param code - `'E_COMPARISON'`, or a subclass's own code (`'E_METRIC_DEFINITION'`). */
  constructor(message: string, fields: EvalgateErrorFields = {}, code = 'E_COMPARISON') {
    super(code, message, fields);
  }
}

/** One field of a metric's definition that differs between two results (values as canonical JSON text). */
export interface MetricDefinitionChange {
  /** `'kind'`, `'aggregation'`, or `'definition.<key>'` (e.g. `'definition.model'`). */
  readonly field: string;
  /** The baseline's value, as JSON text (`'undefined'` when it records none). */
  readonly baseline: string;
  /** The candidate's value, likewise. */
  readonly candidate: string;
}

/**
 * Two results define a metric of one name differently (its kind, aggregation, or the definition both
 * record: another judge model or rubric, BLEU with another tokenizer), so a difference between them would be
 * the metric's, not the system's. `compare()` throws it unless given `allowDefinitionChange: true`; `metric`
 * names the metric and `changes` lists the differing fields, baseline -> candidate, as the message does.
 *
 * @example
 * ```ts
 * try {
 *   compare(baseline, candidate); // baseline scored with exactMatch(), candidate with exactMatch({ lowercase: false })
 * } catch (err) {
 *   if (err instanceof MetricDefinitionError) [err.metric, err.changes[0]?.field];
 *   // => ['exact_match', 'definition.lowercase']
 * }
 * ```
 */
export class MetricDefinitionError extends ComparisonError {
  /** The metric defined differently. */
  readonly metric: string;
  /** The fields that differ, baseline -> candidate. */
  readonly changes: readonly MetricDefinitionChange[];
  constructor(message: string, metric: string, changes: readonly MetricDefinitionChange[]) {
    super(message, {}, 'E_METRIC_DEFINITION');
    this.metric = metric;
    this.changes = Object.freeze(changes.map((c) => Object.freeze({ ...c })));
  }
}

/**
 * A result file is not an evalgate result, or was written by a newer schema version. `loadResult()` and
 * `baseline()` throw it; the message names the file and the first field that is wrong.
 *
 * @example
 * ```ts
 * try {
 *   await loadResult('notes.json');
 * } catch (err) {
 *   if (err instanceof ResultFormatError) err.message;
 *   // => 'notes.json is not an evalgate result: it has no `schemaVersion`'
 * }
 * ```
 */
export class ResultFormatError extends EvalgateError {
  constructor(message: string, fields: EvalgateErrorFields = {}) {
    super('E_RESULT_FORMAT', message, fields);
  }
}

/**
 * Serializes any thrown value into the plain shape stored on an example record. Credentials recognisable by their
 * shape (`sk-…` keys, Bearer tokens, `api-key: …`, a URL's password or `?api-key=`) are hidden in the message: a
 * provider's error may echo the key it was sent, and the record is written to files and reports.
 */
export function serializeError(err: unknown): SerializedError {
  if (err instanceof Error) {
    // Some libraries (the openai SDK among them) leave `name` as 'Error' on subclasses: prefer the class name.
    const ctor = err.constructor?.name;
    const out: { name: string; message: string; code?: string; status?: number } = {
      name: err.name === 'Error' && ctor && ctor !== 'Error' ? ctor : err.name,
      message: _redactKnownSecrets(err.message),
    };
    const e = err as Error & { code?: unknown; status?: unknown };
    if (typeof e.code === 'string') out.code = e.code;
    if (typeof e.status === 'number') out.status = e.status;
    return out;
  }
  return { name: 'Error', message: _redactKnownSecrets(String(err)) };
}

/** An error as stored in a result: JSON-safe. */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  readonly status?: number;
}

/**
 * A call was made through a run's runtime after its `evaluate()` had returned (a pipeline that left a request
 * running): nothing is sent. The late call itself rejects with it.
 *
 * @example
 * ```ts
 * const client = wrapOpenAI(new OpenAI());
 * let late: Promise<unknown> | undefined;
 * await evaluate(dataset, async () => {
 *   late = sleep(50).then(() => client.chat.completions.create(request)); // not awaited by the row
 *   return 'done';
 * }, [exactMatch()]);
 * await late?.catch((err) => err instanceof RunClosedError && err.code);
 * // => 'E_RUN_CLOSED'
 * ```
 */
export class RunClosedError extends EvalgateError {
  constructor(message: string, fields: EvalgateErrorFields = {}) {
    super('E_RUN_CLOSED', message, fields);
  }
}

/**
 * `evaluate()` was called inside a row of another `evaluate()` run: refused before anything is sent. The inner
 * call throws it, so the outer row fails with it unless the model catches it.
 *
 * @example
 * ```ts
 * const result = await evaluate(dataset, async (input) => {
 *   await evaluate(inner, innerModel, [exactMatch()]); // throws NestedRunError
 *   return 'unreached';
 * }, [exactMatch()], { maxFailureRate: 1 });
 * result.examples[0].error?.code;
 * // => 'E_NESTED_RUN'
 * ```
 */
export class NestedRunError extends EvalgateError {
  constructor(message: string, fields: EvalgateErrorFields = {}) {
    super('E_NESTED_RUN', message, fields);
  }
}

/**
 * A `budget` limit (cost, tokens or requests) was reached: no new call is started. The call that met it throws
 * it; `evaluate()` does not: it stops taking rows, drops the row that met the limit, and returns the rows
 * finished so far with `run.stoppedBy: 'budget'`. A pipeline that catches its calls' errors should let it
 * through.
 *
 * @example
 * ```ts
 * const result = await evaluate(dataset, async (input) => {
 *   try {
 *     return await callModel(input);
 *   } catch (err) {
 *     if (err instanceof BudgetExceededError) throw err; // err.limit: 'maxRequests'
 *     return fallback(input);
 *   }
 * }, [exactMatch()], { budget: { maxRequests: 5 } });
 * result.run.stoppedBy;
 * // => 'budget'
 * ```
 */
export class BudgetExceededError extends EvalgateError {
  /** Which limit was reached. */
  readonly limit: 'maxCostUsd' | 'maxTokens' | 'maxRequests';
  constructor(
    message: string,
    limit: 'maxCostUsd' | 'maxTokens' | 'maxRequests',
    fields: EvalgateErrorFields = {},
  ) {
    super('E_BUDGET', message, fields);
    this.limit = limit;
  }
}

/**
 * A `budget.maxCostUsd` is set but a call's model has no price (neither in `pricing` nor in `DEFAULT_PRICING`):
 * the budget could not count what the call costs, so it is refused before anything is sent. `evaluate()`
 * throws it at the start when the model under test declares its name (`openaiModel`), otherwise at the
 * first call to the unpriced model (a judge, or a wrapped client inside a pipeline).
 *
 * @example
 * ```ts
 * try {
 *   await evaluate(dataset, openaiModel({ model: 'my-finetune', client }), metrics, { budget: { maxCostUsd: 5 } });
 * } catch (err) {
 *   if (err instanceof UnpricedModelError) console.error(err.model); // => 'my-finetune'
 * }
 * ```
 */
export class UnpricedModelError extends EvalgateError {
  /** The model that has no price. */
  readonly model: string;
  constructor(message: string, model: string, fields: EvalgateErrorFields = {}) {
    super('E_UNPRICED', message, fields);
    this.model = model;
  }
}

/**
 * An AI SDK model of a kind evalgate does not route: `wrapAISDKModel` routes language models, embedding models and
 * reranking models through the run, and refuses every other kind (`modelKind`: an image, video, speech or
 * transcription model, a batch, files or skills interface, ...) when it is wrapped, before anything is sent. Their
 * results carry binary data (images, audio, video) the JSON cache does not keep, or come from long-running jobs and
 * connections that are not one request; such a call made inside `evaluate()` would be neither counted nor cached,
 * and a replay would send it again. Call these models outside the run, or through `ctx.call` with a request and a
 * value you choose to cache.
 *
 * @example
 * ```ts
 * try {
 *   wrapAISDKModel(openai.image('dall-e-3'));
 * } catch (err) {
 *   if (err instanceof UnsupportedModelKindError) console.error(err.modelKind, err.supported);
 *   // => 'image' ['language', 'embedding', 'reranking']
 * }
 * ```
 */
export class UnsupportedModelKindError extends EvalgateError {
  /** The kind of model found (`'image'`, `'video'`, `'speech-or-transcription'`, ...). */
  readonly modelKind: string;
  /** The kinds that are routed. */
  readonly supported: readonly string[];
  constructor(
    message: string,
    modelKind: string,
    supported: readonly string[],
    fields: EvalgateErrorFields = {},
  ) {
    super('E_UNSUPPORTED_MODEL_KIND', message, fields);
    this.modelKind = modelKind;
    this.supported = supported;
  }
}

/**
 * The provider cannot be reached: `retry.maxConsecutiveConnectionFailures` connection-level failures in a row
 * (connection refused, DNS failure, TLS failure, connect timeout) with no successful call in between. The call
 * runtime then stops sending: the call that tripped it and every later call of the run throw this error, so
 * the run fails fast and says why instead of paying minutes of back-off per example. `evaluate()`'s row
 * runner treats it as fatal for the run.
 *
 * @example
 * ```ts
 * try {
 *   await evaluate(dataset, openaiModel({ model: 'gpt-4o-mini', client }), metrics);
 * } catch (err) {
 *   if (err instanceof ConnectionFailedError) console.error(err.host, err.causeCode);
 *   // => '127.0.0.1:8000' 'ECONNREFUSED'
 * }
 * ```
 */
export class ConnectionFailedError extends EvalgateError {
  /** `host:port` (or host) that could not be reached, when the error or the call named it. */
  readonly host?: string;
  /** The low-level cause found in the error's cause chain: `'ECONNREFUSED'`, `'ENOTFOUND'`, `'ERR_SSL_…'`, … */
  readonly causeCode?: string;
  /** Consecutive connection failures counted when the runtime tripped. */
  readonly failures: number;
  constructor(
    message: string,
    fields: EvalgateErrorFields & { host?: string; causeCode?: string; failures: number },
  ) {
    super('E_CONNECTION', message, fields);
    if (fields.host !== undefined) this.host = fields.host;
    if (fields.causeCode !== undefined) this.causeCode = fields.causeCode;
    this.failures = fields.failures;
  }
}

/**
 * The provider answered, but not with a usable response: the body was cut off (`TypeError: terminated`), was
 * not valid JSON (`SyntaxError`), was a JSON error object on a 2xx (`{ "error": { "message": … } }`), or had
 * no content (`{ "choices": [] }`). The call runtime retries it as transient and never caches it; the original
 * failure, when there was one, is kept as `cause`.
 *
 * @example
 * ```ts
 * const err = providerBodyError({ error: { message: 'upstream overloaded' } }, { status: 200 });
 * [err.code, err.status, err.providerMessage];
 * // => ['E_PROVIDER_RESPONSE', 200, 'upstream overloaded']
 * ```
 */
export class ProviderResponseError extends EvalgateError {
  /** The error message the provider put in its body, when it sent one. */
  readonly providerMessage?: string;
  /** The first 200 characters of the body, when known. */
  readonly bodyExcerpt?: string;
  constructor(
    message: string,
    fields: EvalgateErrorFields & { providerMessage?: string; bodyExcerpt?: string } = {},
  ) {
    super('E_PROVIDER_RESPONSE', message, fields);
    if (fields.providerMessage !== undefined) this.providerMessage = fields.providerMessage;
    if (fields.bodyExcerpt !== undefined) this.bodyExcerpt = fields.bodyExcerpt;
  }
}

/**
 * A provider call failed for good after evalgate's own retries. Raised by `wrapAISDKModel` in place of the
 * SDK's retryable `APICallError` (kept as `cause`, its status as `status`), so the AI SDK's retry loop around
 * the model does not go again and multiply the attempts.
 *
 * @example
 * ```ts
 * const model = wrapAISDKModel(createOpenAI()('gpt-4o-mini')); // the provider answers 503 to every attempt
 * try {
 *   await generateText({ model, prompt: 'Hello' }); // inside evaluate()
 * } catch (err) {
 *   if (err instanceof ProviderCallError) [err.status, err.cause];
 *   // => [503, APICallError]
 * }
 * ```
 */
export class ProviderCallError extends EvalgateError {
  constructor(message: string, fields: EvalgateErrorFields = {}) {
    super('E_PROVIDER_CALL', message, fields);
  }
}

/**
 * Why a cache store cannot be used, for callers that branch:
 * - `'is-a-directory'`: the path names a folder, not a file.
 * - `'cannot-create'`: the file is missing and it or its folders cannot be created.
 * - `'cannot-open'`: the file exists but cannot be read (permissions, unmerged WAL in a read-only folder, ...).
 * - `'not-a-database'`: the file is not a SQLite database, or is damaged.
 * - `'not-a-cache'`: a SQLite database without evalgate's table, or with a table of that name but other columns.
 * - `'read-only'`: the store was opened read-only (file or folder not writable) and a write was asked for.
 * - `'cannot-write'`: a write failed (a full disk, a lock held past `busyTimeoutMs`); the response stays uncached.
 * - `'closed'`: the store was used after its `close()`.
 * - `'driver-not-installed'`: `better-sqlite3` is not installed.
 * - `'driver-install-script-skipped'`: it is installed but its install script never ran (npm >= 11 approval).
 * - `'driver-not-built'`: its install script ran but left no native module (a failed build).
 * - `'driver-wrong-abi'`: its native module was built for another Node.js ABI.
 * - `'driver-cannot-load'`: its native module exists but does not load (platform, permissions, libc).
 * - `'driver-unsupported-runtime'`: the runtime cannot load it at all (Bun).
 */
export type CacheErrorReason =
  | 'is-a-directory'
  | 'cannot-create'
  | 'cannot-open'
  | 'not-a-database'
  | 'not-a-cache'
  | 'read-only'
  | 'cannot-write'
  | 'closed'
  | 'driver-not-installed'
  | 'driver-install-script-skipped'
  | 'driver-not-built'
  | 'driver-wrong-abi'
  | 'driver-cannot-load'
  | 'driver-unsupported-runtime';

/**
 * A cache store cannot be opened, cannot be written although the run's cache mode writes, or was used after its
 * `close()`. The message names the path and says what to do; `reason` is for branching; the driver's own error,
 * when there was one, is `cause`.
 *
 * @example
 * ```ts
 * try {
 *   sqliteCache('notes.txt');
 * } catch (err) {
 *   if (err instanceof CacheError) err.reason;
 *   // => 'not-a-database'
 * }
 * ```
 */
export class CacheError extends EvalgateError {
  /** The store's file (absolute), or `':memory:'`. */
  readonly path: string;
  readonly reason: CacheErrorReason;
  constructor(message: string, path: string, reason: CacheErrorReason, fields: EvalgateErrorFields = {}) {
    super('E_CACHE', message, fields);
    this.path = path;
    this.reason = reason;
  }
}

/**
 * One cached entry no longer parses (garbage text, truncated JSON, wrong shape). The runtime treats it as a
 * miss, fetches the response again and overwrites the entry; the parse error, when there was one, is `cause`.
 *
 * @example
 * ```ts
 * try {
 *   store.get(key);
 * } catch (err) {
 *   if (err instanceof CacheEntryError) err.key === key;
 *   // => true
 * }
 * ```
 */
export class CacheEntryError extends EvalgateError {
  /** The entry's cache key. */
  readonly key: string;
  /** The store's file (absolute), or `':memory:'`. */
  readonly path: string;
  constructor(message: string, key: string, path: string, fields: EvalgateErrorFields = {}) {
    super('E_CACHE_ENTRY', message, fields);
    this.key = key;
    this.path = path;
  }
}

/**
 * `segmentBy` gave a row something that is not a segment label: a function that threw or returned neither a
 * string nor an array of strings, a field whose value is an object, or a blank (`''`) or `NaN` label. The run stops
 * at the first such row;
 * `exampleId` names it.
 *
 * @example
 * ```ts
 * try {
 *   await evaluate(dataset, model, [exactMatch()], { segmentBy: (e) => e.metadata });
 * } catch (err) {
 *   if (err instanceof SegmentError) err.exampleId;
 *   // => '#0'
 * }
 * ```
 */
export class SegmentError extends EvalgateError {
  constructor(message: string, fields: EvalgateErrorFields = {}) {
    super('E_SEGMENT', message, fields);
  }
}

/**
 * The baseline file `baseline()` was asked to compare against does not exist, and the run may not create it (in
 * CI, or with `createIfMissing: false`). The message names the file and how to record it; the `ENOENT` error is
 * `cause`.
 *
 * @example
 * ```ts
 * try {
 *   await baseline('baselines/qa.json', result); // in CI, with no such file
 * } catch (err) {
 *   if (err instanceof BaselineMissingError) err.path;
 *   // => '/repo/baselines/qa.json'
 * }
 * ```
 */
export class BaselineMissingError extends EvalgateError {
  /** The missing file, absolute. */
  readonly path: string;
  constructor(message: string, path: string, fields: EvalgateErrorFields = {}) {
    super('E_BASELINE_MISSING', message, fields);
    this.path = path;
  }
}

/** Why a cluster run ({@link ClusterError}) could not go on. */
export type ClusterErrorReason =
  | 'mismatch'
  | 'chunk-failed'
  | 'no-progress'
  | 'redis-unreachable'
  | 'redis-lost'
  | 'redis-reset'
  | 'coordinator-gone'
  | 'not-carried'
  | 'unsupported'
  | 'failed';

/** Which process of a cluster run met a {@link ClusterError}. */
export type ClusterRole = 'coordinator' | 'worker' | 'reader' | 'feeder';

/**
 * A distributed run (`evaluate(..., { cluster })`, `evalgate worker`) could not go on: a worker's task does not
 * match the coordinator's (`'mismatch'`: another evalgate version, task module content or metric list), a chunk
 * of rows failed on every attempt (`'chunk-failed'`, recorded as each of its rows' error), no row came back for
 * `cluster.noProgressTimeoutMs` (`'no-progress'`: no worker is running), Redis did not answer at the start
 * (`'redis-unreachable'`: down, wrong address, wrong password, TLS refused), the connection was lost mid-run
 * (`'redis-lost'`), Redis came back without the run's keys (`'redis-reset'`: restarted without persistence,
 * flushed, or the keys expired), the coordinator stopped renewing its heartbeat (`'coordinator-gone'`, seen by
 * workers), an example holds a value JSON cannot carry exactly (`'not-carried'`), an option that cluster mode
 * does not support (`'unsupported'`), or any other failure of one of its parts (`'failed'`).
 * `role` says which part met it, `redis` the Redis URL with its password hidden, `cause` the underlying error;
 * the message ends with what to do.
 *
 * @example
 * ```ts
 * try {
 *   await evaluate(data, model, metrics, { cluster: { redis: url, task: './task.ts' } });
 * } catch (err) {
 *   if (err instanceof ClusterError) err.reason;
 *   // => 'redis-unreachable'
 * }
 * ```
 */
export class ClusterError extends EvalgateError {
  readonly reason: ClusterErrorReason;
  /** The part of the run that met the error. */
  readonly role?: ClusterRole;
  /** The Redis URL of the run, password hidden. */
  readonly redis?: string;
  constructor(
    message: string,
    reason: ClusterErrorReason,
    fields: EvalgateErrorFields & { readonly role?: ClusterRole; readonly redis?: string } = {},
  ) {
    super('E_CLUSTER', message, fields);
    this.reason = reason;
    if (fields.role !== undefined) this.role = fields.role;
    if (fields.redis !== undefined) this.redis = fields.redis;
  }
}
