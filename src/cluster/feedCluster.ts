/**
 * The coordinator of a cluster run: reads the dataset lazily into chunks of rows enqueued on BullMQ (at most
 * `maxChunksInFlight` unfinished), reads the record stream back, and hands each row's outcome — once — to
 * `run.accept`, so the run's statistics are the single-process ones.
 * @module
 */

import { randomUUID } from 'node:crypto';
import {
  _isAuthError,
  _isConnectionError,
  _openRedis,
  _pingWithin,
  _redactIn,
  _redactUrl,
  _within,
} from '../_internal/redisConnection.js';
import { isAbort, raceAbort } from '../calls/waits.js';
import type { Dataset } from '../core/types.js';
import type { PlacedExample } from '../dataset/examples.js';
import { ClusterError, type ClusterErrorReason, type ClusterRole, DatasetError } from '../errors.js';
import type { ExampleRecord } from '../result/EvalResult.js';
import type { ClusterOptions } from '../run/clusterOptions.js';
import type { Run, RunSpend } from '../run/Run.js';
import type { RowOutcome } from '../run/rowRunner.js';
import { segmentLabels } from '../run/segmentBy.js';
import { walkDataset } from '../run/walkDataset.js';
import { _Heartbeat } from './_heartbeat.js';
import { _checkCarried } from './_jsonCarry.js';
import {
  _BULL_PREFIX,
  type _ChunkData,
  type _ChunkRow,
  _decode,
  _fingerprint,
  _labelsText,
  type _Message,
  _reviveError,
  _runKeys,
} from './_protocol.js';
import { _runSpecOf } from './_runSpec.js';

/** The outcome of a row whose chunk failed for good: a failed row with the chunk's error (and its example's labels). */
function failedOutcome(r: _ChunkRow, message: string): RowOutcome {
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
  // Labels kept, as on a row whose model failed in one process: the calibration's warnings count labeled rows
  // without a score (a failure that is not at random biases the estimate).
  if (example.labels !== undefined) record.labels = example.labels;
  return {
    kind: 'done',
    record,
    table: {
      id,
      trial: r.trial,
      group: example.group ?? null,
      failed: true,
      scores: {},
      stats: {},
      ...(example.labels === undefined ? {} : { labels: example.labels }),
    },
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
 *
 * Faults: Redis unreachable at the start fails within `connectTimeoutMs`; a Redis failure mid-run is retried
 * for `redisTimeoutMs`, then stops the run; Redis back without the run's keys stops it at once; any failure
 * of the reader or the feeder stops the other one (nothing waits on a part that died). Each is a
 * `ClusterError` naming the role, the Redis URL without its password, the cause and what to do. The
 * coordinator renews a heartbeat and the expiry of every key of the run, so a coordinator that dies leaves
 * nothing running or stored for long.
 * @throws {DatasetError} On a malformed row or source.
 * @throws {TypeError} When `cache` is not a `redisCache()`, or `rateLimit` an in-process limiter.
 * @throws {ClusterError} On a Redis fault, a worker's refusal, an example JSON cannot carry, or a `gate`.
 */
export async function feedCluster(run: Run, dataset: Dataset, cluster: ClusterOptions): Promise<void> {
  const { trials } = run.config;
  const where = _redactUrl(cluster.redis);
  const queueName = cluster.queue ?? 'evalgate';
  if (run.config.gate !== undefined)
    throw new ClusterError(
      `\`gate\` is not supported with \`cluster\`: a gate decides on rows in a seeded order as they finish, which workers finishing out of order would change. Run the gated evaluation in one process (it stops early, so it pays less), or drop \`gate\` and assert on the result.`,
      'unsupported',
      { role: 'coordinator', redis: where },
    );
  const runId = randomUUID();
  const spec = _runSpecOf(runId, await _fingerprint(cluster.task, run.rows.metrics), cluster, run.config);
  const keys = _runKeys(runId);
  const chunkSize = cluster.chunkSize ?? 32;
  const maxChunks = cluster.maxChunksInFlight ?? 16;
  const attempts = cluster.attempts ?? 3;
  const noProgressMs = cluster.noProgressTimeoutMs ?? 300_000;
  const connectMs = cluster.connectTimeoutMs ?? 10_000;
  const redisMs = cluster.redisTimeoutMs ?? 10_000;
  const heartbeatMs = spec.heartbeatTimeoutMs;
  // Keys outlive a few missed heartbeats (a coordinator paused by GC), not a dead coordinator.
  const keyTtlMs = Math.max(60_000, 6 * heartbeatMs);
  const graceMs = cluster.stopGraceMs ?? 30_000;
  const workerCommand = `evalgate worker ${cluster.task} --redis ${where}${cluster.queue === undefined ? '' : ` --queue ${queueName}`}`;

  /** A `ClusterError` of this run: the role, the cause (secrets hidden) and what to do. */
  const clusterError = (
    reason: ClusterErrorReason,
    role: ClusterRole,
    what: string,
    todo: string,
    cause?: unknown,
  ): ClusterError => {
    const because =
      cause === undefined ? '' : `: ${_redactIn(String((cause as Error)?.message ?? cause), cluster.redis)}`;
    return new ClusterError(`Cluster ${role}: ${what} (Redis ${where})${because}. ${todo}`, reason, {
      role,
      redis: where,
      ...(cause === undefined ? {} : { cause }),
    });
  };
  const lostError = (role: ClusterRole, cause: unknown) =>
    clusterError(
      'redis-lost',
      role,
      `lost Redis for more than ${redisMs} ms (cluster.redisTimeoutMs)`,
      'Check that redis-server is up and reachable; the rows recorded so far are in the records stream (`output`), and a rerun with the same redisCache() pays only for the rest.',
      cause,
    );

  for (const [i, item] of (Array.isArray(dataset) ? dataset : []).entries()) {
    // An array is checked whole before anything is sent; other sources row by row, as they are read.
    _checkCarried(item, i);
  }

  const { Queue } = await import('bullmq');
  const cmd = _openRedis(cluster.redis, { connectTimeoutMs: Math.min(connectMs, 5000) });
  const reader = _openRedis(cluster.redis, { connectTimeoutMs: Math.min(connectMs, 5000) });
  try {
    await _pingWithin(cmd, connectMs);
  } catch (cause) {
    cmd.disconnect();
    reader.disconnect();
    throw clusterError(
      'redis-unreachable',
      'coordinator',
      _isAuthError(cause)
        ? 'Redis refused the user or password'
        : `Redis did not answer within ${connectMs} ms (cluster.connectTimeoutMs)`,
      'Check that redis-server runs at that address and port, the password or ACL user (redis://user:password@host), and TLS (rediss://).',
      cause,
    );
  }
  const queue = new Queue<_ChunkData>(queueName, { connection: cmd, prefix: _BULL_PREFIX });
  queue.on('error', () => {}); // the same connection: its failures surface through the calls below
  const open = new Map<number, Chunk>();
  const chunkOfRow = new Map<number, Chunk>();
  const accepted = new Set<number>();
  let lastId = '0-0';
  let lastProgress = Date.now();
  let lastRedisOk = Date.now();
  let changed: (() => void) | undefined;
  const notify = () => {
    const c = changed;
    changed = undefined;
    c?.();
  };
  // Aborted when the run aborts or the reader ends: the feeder then waits on Redis no longer.
  const feeding = new AbortController();
  // Whatever stops the run (a fatal error of any part, the user's abort) wakes a feeder waiting for room.
  const onRunAbort = () => {
    feeding.abort();
    notify();
  };
  run.rows.signal.addEventListener('abort', onRunAbort, { once: true });
  if (run.rows.signal.aborted) feeding.abort();

  function fail(err: unknown): void {
    run.stop('fatal', err);
    notify();
  }

  /**
   * A global budget reached is not yet a budget stop: one process stops when a row would send a call past it
   * (rows that make no call still run), and a run whose last rows spend it exactly runs whole. So the workers are
   * told to refuse every new call (`budget`): a row whose call they refuse stops the run, as in one process. A
   * request past `maxRequests` (workers learn of the limit late) stops it at once.
   */
  let budgetReached = false;
  async function addSpend(s: RunSpend | undefined): Promise<void> {
    if (s === undefined || !run.recordSpend(s) || budgetReached) return;
    budgetReached = true;
    if (run.runtime.totals.requests > run.config.budget.maxRequests) {
      run.stop('budget');
      return;
    }
    await cmd.set(keys.stop, 'budget', 'PX', keyTtlMs);
  }

  /**
   * Segment labels are the coordinator's: `segmentBy` may be a function, which does not travel, so a row's
   * labels are computed here from the example this process chunked.
   */
  function withSegments(row: number, outcome: RowOutcome, chunk: Chunk | undefined): RowOutcome {
    const by = run.rows.segmentBy;
    const placed = chunk?.rows.find((r) => r.row === row)?.placed;
    if (by === undefined || outcome.kind !== 'done' || placed === undefined) return outcome;
    const example = placed.example.id === placed.id ? placed.example : { ...placed.example, id: placed.id };
    return { ...outcome, table: { ...outcome.table, segments: segmentLabels(by, example, placed.id) } };
  }

  async function accept(row: number, outcome: RowOutcome): Promise<void> {
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
    await addSpend(message.spend);
    if (message.type === 'row') await accept(message.row, message.outcome);
    else if (message.type === 'budget') run.stop('budget');
    else if (message.type === 'fatal') fail(_reviveError(message.error));
  }

  /** Reads the stream up to now (waiting up to `blockMs` for a first entry). */
  async function drain(blockMs: number): Promise<void> {
    for (let block = blockMs; ; block = 0) {
      const res = (await (block > 0
        ? reader.xread('COUNT', 500, 'BLOCK', block, 'STREAMS', keys.stream, lastId)
        : reader.xread('COUNT', 500, 'STREAMS', keys.stream, lastId))) as
        | [string, [string, string[]][]][]
        | null;
      lastRedisOk = Date.now();
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

  const heartbeat = new _Heartbeat(
    cmd,
    keys,
    { heartbeatMs, keyTtlMs, failAfterMs: redisMs },
    {
      onReset: () =>
        fail(
          clusterError(
            'redis-reset',
            'coordinator',
            "Redis no longer holds this run's keys (it restarted without persistence, was flushed, or evicted them)",
            'Give Redis persistence (appendonly yes) or enough memory with maxmemory-policy noeviction, then rerun: with the same redisCache() the rows already answered are not paid again.',
          ),
        ),
      onLost: (err) => fail(lostError('coordinator', err)),
    },
  );

  let readerDone = false;
  let fedAll = false;
  const readerLoop = (async () => {
    let lastCheck = Date.now();
    while (!(fedAll && open.size === 0) && run.fatal === undefined) {
      try {
        await drain(200);
        if (run.stopped()) notify(); // a feeder waiting for room stops feeding
        if (run.stopped() && fedAll) break;
        if (Date.now() - lastCheck >= 500) {
          lastCheck = Date.now();
          await checkFailed();
        }
      } catch (err) {
        if (!_isConnectionError(err)) throw err;
        // Redis is failing: retried until redisTimeoutMs has passed without a successful read.
        if (Date.now() - lastRedisOk > redisMs) throw lostError('reader', err);
        await new Promise((r) => setTimeout(r, 200));
        continue;
      }
      if (open.size > 0 && Date.now() - lastProgress > noProgressMs)
        fail(
          clusterError(
            'no-progress',
            'coordinator',
            `no row came back for ${noProgressMs} ms (cluster.noProgressTimeoutMs) from queue "${queueName}"`,
            `Start workers with \`${workerCommand}\`, or check their output for errors.`,
          ),
        );
    }
    // Stopped (budget, abort, a decision): workers send nothing new and finish the calls they already sent;
    // wait (bounded) for their chunks to end and record those rows, so that no paid response is dropped.
    if (run.stopped() && run.fatal === undefined) {
      await cmd.set(keys.stop, 'drain', 'PX', keyTtlMs);
      const until = Date.now() + graceMs;
      while (Date.now() < until && open.size > 0 && run.fatal === undefined) {
        const states = await Promise.all([...open.values()].map((c) => queue.getJobState(c.jobId)));
        await drain(100);
        if (!states.includes('active')) break;
      }
      await drain(0);
    }
  })();
  const readerSettled = readerLoop
    .catch((err) => fail(err))
    .finally(() => {
      readerDone = true;
      feeding.abort();
      notify();
    });

  let row = 0;
  let index = 0;
  let pending: _ChunkRow[] = [];
  const waitForRoom = async () => {
    while (open.size >= maxChunks && !run.stopped() && !readerDone)
      await new Promise<void>((resolve) => {
        changed = resolve;
      });
  };
  /**
   * `p`, unless the run stops first (a dead Redis must not hold the feeder past the run's end). It leaves nothing
   * behind once `p` settles: it runs once per chunk, for the whole run.
   */
  const unlessStopped = <T>(p: Promise<T>): Promise<T | undefined> =>
    raceAbort(p, feeding.signal).catch((err: unknown) => {
      if (isAbort(err, feeding.signal)) return undefined;
      throw err;
    });
  const flush = async () => {
    if (pending.length === 0) return;
    await waitForRoom();
    if (run.stopped() || readerDone) return;
    const chunk: Chunk = { index, jobId: `${runId}-${index}`, rows: pending, left: pending.length };
    index++;
    pending = [];
    open.set(chunk.index, chunk);
    for (const r of chunk.rows) chunkOfRow.set(r.row, chunk);
    run.addQueuedElsewhere(chunk.rows.length);
    await unlessStopped(
      queue.add(
        'chunk',
        { runId, chunk: chunk.index, rows: chunk.rows },
        {
          jobId: chunk.jobId,
          attempts,
          backoff: { type: 'fixed', delay: 200 },
          removeOnComplete: true,
          removeOnFail: { age: Math.ceil(keyTtlMs / 1000) },
        },
      ),
    );
  };
  try {
    await _within(cmd.set(keys.spec, JSON.stringify(spec), 'PX', keyTtlMs), connectMs, () =>
      clusterError('redis-lost', 'feeder', 'could not store the run spec', 'Check Redis.'),
    );
    await cmd.set(keys.alive, '1', 'PX', heartbeatMs);
    const take = async (placed: PlacedExample, item: unknown) => {
      if (!Array.isArray(dataset)) _checkCarried(item, placed.position);
      const labels = _labelsText(placed.example);
      for (let trial = 0; trial < trials; trial++) {
        pending.push(
          labels === undefined ? { row: row++, trial, placed } : { row: row++, trial, placed, labels },
        );
        if (pending.length >= chunkSize) await flush();
      }
    };
    await walkDataset(dataset, {
      visit: take,
      stopped: () => run.stopped() || readerDone,
      signal: run.rows.signal,
    });
    await flush();
    if (!readerDone) run.markComplete();
  } catch (err) {
    // The dataset failed after rows were sent: stop as one process does, the workers finishing what they hold
    // (the reader drains it) and the partial result going with the error.
    if (err instanceof DatasetError && run.counts.queued > 0) {
      run.stopOnDatasetError(err);
      notify();
      throw err;
    }
    const e = _isConnectionError(err) ? lostError('feeder', err) : err;
    fail(e);
    throw e;
  } finally {
    fedAll = true;
    notify();
    await readerSettled;
    heartbeat.stop();
    run.rows.signal.removeEventListener('abort', onRunAbort);
    // Stopped or finished: workers drop what they still run of it; nothing of it stays in Redis. The clean-up
    // is bounded as a whole: Redis may be the part that failed.
    await _within(
      (async () => {
        await cmd.set(keys.stop, 'abort', 'PX', keyTtlMs);
        await Promise.all([...open.values()].map((c) => queue.remove(c.jobId)));
        await cmd.del(keys.spec, keys.alive, keys.stream, keys.done, keys.requests);
        await queue.close();
      })(),
      2000,
      () => new Error('clean-up timed out'),
    ).catch(() => {});
    cmd.disconnect();
    reader.disconnect();
  }
  if (run.fatal === undefined && !run.complete && !run.stopped())
    throw clusterError('failed', 'reader', 'the reader stopped before the last row', 'Rerun.');
}
