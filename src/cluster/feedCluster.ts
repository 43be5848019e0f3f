/**
 * The coordinator of a cluster run: reads the dataset lazily into chunks of rows enqueued on BullMQ (at most
 * `maxChunksInFlight` unfinished), reads the record stream back, and hands each row's outcome — once — to
 * `run.accept`, so the run's statistics are the single-process ones.
 * @module
 */

import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { _describe } from '../_internal/describe.js';
import { _redisOf } from '../_internal/redisConnection.js';
import { _isCacheStore, type CacheStore } from '../cache/CacheStore.js';
import { _isRedisCache } from '../cache/redisCache.js';
import type { Dataset, Metric } from '../core/types.js';
import { _ExamplePlacer } from '../dataset/examples.js';
import { ClusterError } from '../errors.js';
import type { ExampleRecord } from '../result/EvalResult.js';
import type { _Run } from '../run/createRun.js';
import { _cacheMode, type EvaluateOptions } from '../run/options.js';
import type { _RowOutcome } from '../run/rowRunner.js';
import { _segmentLabels } from '../run/segmentBy.js';
import { _checkBudget } from '../scheduler/budget.js';
import type { _KindCounts } from '../scheduler/callScope.js';
import { _isRateLimiter, type RateLimiterOptions } from '../scheduler/rateLimiter.js';
import type { RedisRateLimiter } from '../scheduler/redisRateLimiter.js';
import type { MutableTotals } from '../scheduler/runtime.js';
import {
  _BULL_PREFIX,
  type _ChunkData,
  type _ChunkRow,
  _decode,
  _fingerprint,
  type _Message,
  type _RunSpec,
  _reviveError,
  _runKeys,
  type _Spend,
} from './_protocol.js';
import type { ClusterOptions } from './clusterOptions.js';

/** The run's serializable spec: fingerprint and the options that travel to the workers. */
function specOf(
  runId: string,
  cluster: ClusterOptions,
  metrics: readonly Metric[],
  options: EvaluateOptions,
): _RunSpec {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const spec: { -readonly [K in keyof _RunSpec]: _RunSpec[K] } = {
    runId,
    fingerprint: _fingerprint(cluster.task, metrics),
    timeoutMs,
    rowTimeoutMs: options.rowTimeoutMs ?? 10 * timeoutMs,
    metricTimeoutMs: options.metricTimeoutMs ?? 10 * timeoutMs,
  };
  if (options.trajectory === true || options.trajectory === 'tool-calls')
    spec.trajectory = options.trajectory === true ? 'full' : 'tool-calls';
  if (options.retry !== undefined) spec.retry = options.retry;
  if (options.budget !== undefined) spec.budget = options.budget;
  if (options.pricing !== undefined) spec.pricing = options.pricing;
  const mode = _cacheMode(options.cache);
  if (options.cache !== undefined && mode !== undefined) {
    const store: CacheStore = _isCacheStore(options.cache)
      ? options.cache
      : (options.cache as { store: CacheStore }).store;
    if (!_isRedisCache(store))
      throw new TypeError(
        `Expected \`cache\` to be a redisCache() store in cluster mode (every worker must share it), got ${_describe(store)}`,
      );
    spec.cache = { prefix: store.prefix, mode, ...(store.url === undefined ? {} : { url: store.url }) };
  }
  const rl = options.rateLimit;
  if (rl !== undefined) {
    if (_isRateLimiter(rl)) {
      const shared = rl as Partial<RedisRateLimiter>;
      if (typeof shared.pause !== 'function' || typeof shared.name !== 'string')
        throw new TypeError(
          `Expected \`rateLimit\` to be { rpm, tpm, windowMs } or a redisRateLimiter() in cluster mode (an in-process limiter cannot be shared by workers), got ${_describe(rl)}`,
        );
      spec.rateLimit = {
        scope: 'global',
        name: shared.name,
        ...(shared.url === undefined ? {} : { url: shared.url }),
        rpm: rl.rpm,
        tpm: rl.tpm,
        windowMs: rl.windowMs,
        expectedOutputTokens: rl.expectedOutputTokens,
        ...(shared.leaseMs === undefined ? {} : { leaseMs: shared.leaseMs }),
      };
    } else {
      const o = rl as RateLimiterOptions;
      if (o.rpm !== undefined || o.tpm !== undefined)
        spec.rateLimit = {
          scope: cluster.rateLimitScope ?? 'global',
          name: cluster.rateLimitName ?? 'default',
          ...(o.rpm === undefined ? {} : { rpm: o.rpm }),
          ...(o.tpm === undefined ? {} : { tpm: o.tpm }),
          ...(o.windowMs === undefined ? {} : { windowMs: o.windowMs }),
          ...(o.expectedOutputTokens === undefined ? {} : { expectedOutputTokens: o.expectedOutputTokens }),
        };
    }
  }
  return spec;
}

/** The outcome of a row whose chunk failed for good: a failed row with the chunk's error. */
function failedOutcome(r: _ChunkRow, message: string): _RowOutcome {
  const { example, id } = r.placed;
  const record: { -readonly [K in keyof ExampleRecord]: ExampleRecord[K] } = {
    id,
    trial: r.trial,
    input: example.input,
    output: null,
    scores: {},
    latencyMs: 0,
    cached: false,
    retries: 0,
    error: { name: 'ClusterError', code: 'E_CLUSTER', message },
  };
  if (example.group !== undefined) record.group = example.group;
  if (example.reference !== undefined) record.reference = example.reference;
  if (example.metadata !== undefined) record.metadata = example.metadata;
  return {
    kind: 'done',
    record,
    table: { id, trial: r.trial, group: example.group ?? null, failed: true, scores: {}, stats: {} },
    modelCacheable: 0,
    modelCalls: 0,
    summaries: {},
    problems: [],
  };
}

interface Chunk {
  readonly index: number;
  readonly jobId: string;
  readonly rows: readonly _ChunkRow[];
  left: number;
}

/**
 * Feeds every example of `dataset` to the workers of `cluster` and accepts every outcome into `run`, then
 * cleans up the run's keys. Global budgets are enforced here on the spend the workers report (each worker also
 * enforces them on its own spend, so the overshoot is at most the calls in flight).
 * @throws {DatasetError} On a malformed row or source.
 * @throws {TypeError} When `cache` is not a `redisCache()`, or `rateLimit` an in-process limiter.
 */
export async function _feedCluster(
  run: _Run,
  dataset: Dataset,
  trials: number,
  cluster: ClusterOptions,
  options: EvaluateOptions,
): Promise<void> {
  const runId = randomUUID();
  const spec = specOf(runId, cluster, run.rows.metrics, options);
  const keys = _runKeys(runId);
  const chunkSize = cluster.chunkSize ?? 32;
  const maxChunks = cluster.maxChunksInFlight ?? 16;
  const attempts = cluster.attempts ?? 3;
  const noProgressMs = cluster.noProgressTimeoutMs ?? 300_000;
  const limits = _checkBudget(options.budget);
  const { Queue } = await import('bullmq');
  const cmd: Redis = _redisOf('cluster', { url: cluster.redis });
  const reader: Redis = _redisOf('cluster', { url: cluster.redis });
  const queue = new Queue<_ChunkData>(cluster.queue ?? 'evalgate', {
    connection: { url: cluster.redis, maxRetriesPerRequest: null },
    prefix: _BULL_PREFIX,
  });
  const totals = run.runtime.totals as MutableTotals;
  const kinds = run.rows.kinds as _KindCounts;
  const open = new Map<number, Chunk>();
  const chunkOfRow = new Map<number, Chunk>();
  const accepted = new Set<number>();
  let lastId = '0-0';
  let lastProgress = Date.now();
  let changed: (() => void) | undefined;
  const notify = () => {
    const c = changed;
    changed = undefined;
    c?.();
  };

  function addSpend(s: _Spend | undefined): void {
    if (s === undefined) return;
    for (const k of Object.keys(s.totals) as (keyof MutableTotals)[]) totals[k] += s.totals[k];
    for (const kind of Object.keys(s.kinds) as (keyof _KindCounts)[]) {
      kinds[kind].calls += s.kinds[kind].calls;
      kinds[kind].cacheHits += s.kinds[kind].cacheHits;
    }
    const tokens = totals.inputTokens + totals.outputTokens;
    if (
      totals.requests >= limits.maxRequests ||
      tokens >= limits.maxTokens ||
      totals.costUsd >= limits.maxCostUsd
    )
      run.stop('budget');
  }

  /**
   * Segment labels are the coordinator's: `segmentBy` may be a function, which does not travel, so a row's
   * labels are computed here from the example this process chunked.
   */
  function withSegments(row: number, outcome: _RowOutcome, chunk: Chunk | undefined): _RowOutcome {
    const by = run.rows.segmentBy;
    const placed = chunk?.rows.find((r) => r.row === row)?.placed;
    if (by === undefined || outcome.kind !== 'done' || placed === undefined) return outcome;
    const example = placed.example.id === placed.id ? placed.example : { ...placed.example, id: placed.id };
    return { ...outcome, table: { ...outcome.table, segments: _segmentLabels(by, example, placed.id) } };
  }

  async function accept(row: number, outcome: _RowOutcome): Promise<void> {
    if (accepted.has(row)) return; // a chunk that ran twice: the row is recorded once
    accepted.add(row);
    lastProgress = Date.now();
    const chunk = chunkOfRow.get(row);
    const written = run.accept(row, withSegments(row, outcome, chunk));
    chunkOfRow.delete(row);
    if (chunk !== undefined && --chunk.left === 0) {
      open.delete(chunk.index);
      notify();
    }
    if (written) await written;
  }

  async function handle(message: _Message): Promise<void> {
    addSpend(message.spend);
    if (message.type === 'row') await accept(message.row, message.outcome);
    else if (message.type === 'budget') run.stop('budget');
    else if (message.type === 'fatal') run.stop('fatal', _reviveError(message.error));
  }

  /** Reads the stream up to now (waiting up to `blockMs` for a first entry). */
  async function drain(blockMs: number): Promise<void> {
    for (let block = blockMs; ; block = 0) {
      const res = (await (block > 0
        ? reader.xread('COUNT', 500, 'BLOCK', block, 'STREAMS', keys.stream, lastId)
        : reader.xread('COUNT', 500, 'STREAMS', keys.stream, lastId))) as
        | [string, [string, string[]][]][]
        | null;
      const entries = res?.[0]?.[1] ?? [];
      for (const [id, fields] of entries) {
        lastId = id;
        await handle(_decode(fields[1] ?? 'null') as _Message);
      }
      if (entries.length < 500) return;
    }
  }

  /** Chunks BullMQ gave up on: their rows not yet recorded are recorded as failed. */
  async function checkFailed(): Promise<void> {
    const states = await Promise.all(
      [...open.values()].map(async (c) => [c, await queue.getJobState(c.jobId)] as const),
    );
    const failed = states.filter(([, s]) => s === 'failed').map(([c]) => c);
    if (failed.length === 0) return;
    // Rows a worker recorded before its job failed are in the stream: read them first.
    await drain(0);
    for (const c of failed) {
      if (!open.has(c.index)) continue;
      const job = await queue.getJob(c.jobId);
      const reason = job?.failedReason ?? 'unknown reason';
      const message = `chunk ${c.index} (rows ${c.rows[0]?.row}-${c.rows.at(-1)?.row}) failed on every one of its ${attempts} attempts: ${reason}`;
      for (const r of c.rows) if (!accepted.has(r.row)) await accept(r.row, failedOutcome(r, message));
      await job?.remove().catch(() => {});
    }
  }

  let readerDone = false;
  let fedAll = false;
  const readerLoop = (async () => {
    let lastCheck = Date.now();
    while (!(fedAll && open.size === 0) && run.fatal === undefined) {
      await drain(200);
      if (run.stopped() && fedAll) break;
      if (Date.now() - lastCheck >= 500) {
        lastCheck = Date.now();
        await checkFailed();
      }
      if (open.size > 0 && Date.now() - lastProgress > noProgressMs)
        run.stop(
          'fatal',
          new ClusterError(
            `No row came back for ${noProgressMs} ms (cluster.noProgressTimeoutMs) from queue "${cluster.queue ?? 'evalgate'}" on ${cluster.redis}: start workers with \`evalgate worker ${cluster.task} --redis ${cluster.redis}\``,
            'no-progress',
          ),
        );
    }
    // Stopped: the workers drop their rows of the run at once; wait (bounded) for their chunks to end, so that
    // what those rows spent is in the totals.
    if (run.stopped() && run.fatal === undefined) {
      await cmd.set(keys.stop, '1', 'PX', 60_000);
      const until = Date.now() + 5000;
      while (Date.now() < until) {
        const states = await Promise.all([...open.values()].map((c) => queue.getJobState(c.jobId)));
        await drain(100);
        if (!states.includes('active')) break;
      }
    }
    readerDone = true;
    notify();
  })();
  readerLoop.catch((err) => run.stop('fatal', err));

  const placer = new _ExamplePlacer();
  let row = 0;
  let index = 0;
  let pending: _ChunkRow[] = [];
  const waitForRoom = async () => {
    while (open.size >= maxChunks && !run.stopped() && !readerDone)
      await new Promise<void>((resolve) => {
        changed = resolve;
      });
  };
  const flush = async () => {
    if (pending.length === 0) return;
    await waitForRoom();
    if (run.stopped()) return;
    const chunk: Chunk = { index, jobId: `${runId}-${index}`, rows: pending, left: pending.length };
    index++;
    pending = [];
    open.set(chunk.index, chunk);
    for (const r of chunk.rows) chunkOfRow.set(r.row, chunk);
    run.counts.queued += chunk.rows.length;
    await queue.add(
      'chunk',
      { runId, chunk: chunk.index, rows: chunk.rows },
      {
        jobId: chunk.jobId,
        attempts,
        backoff: { type: 'fixed', delay: 200 },
        removeOnComplete: true,
        removeOnFail: false,
      },
    );
  };
  try {
    await cmd.set(keys.spec, JSON.stringify(spec));
    const take = async (item: unknown) => {
      const placed = placer.place(item);
      for (let trial = 0; trial < trials; trial++) {
        pending.push({ row: row++, trial, placed });
        if (pending.length >= chunkSize) await flush();
      }
    };
    if (typeof (dataset as Iterable<unknown>)[Symbol.iterator] === 'function') {
      for (const item of dataset as Iterable<unknown>) {
        if (run.stopped()) break;
        await take(item);
      }
    } else {
      for await (const item of dataset as AsyncIterable<unknown>) {
        if (run.stopped()) break;
        await take(item);
      }
    }
    await flush();
    if (!run.stopped()) placer.finish();
    run.complete = true;
  } catch (err) {
    run.stop('fatal', err);
    throw err;
  } finally {
    fedAll = true;
    notify();
    await readerLoop.catch(() => {});
    // Stopped or finished: workers drop what they still run of it; nothing of it stays in Redis.
    await cmd.set(keys.stop, '1', 'PX', 60_000).catch(() => {});
    for (const c of open.values()) await queue.remove(c.jobId).catch(() => 0);
    await cmd.del(keys.spec, keys.stream, keys.done).catch(() => 0);
    await queue.close().catch(() => {});
    await Promise.all([cmd.quit().catch(() => {}), reader.quit().catch(() => {})]);
  }
}
