/**
 * A worker of a cluster run: takes chunks of rows from BullMQ, runs each row with the single-process row runner
 * under the run's options (shared Redis cache, shared rate limit), and streams each outcome back.
 * @module
 */

import { hostname } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Redis } from 'ioredis';
import PQueue from 'p-queue';
import { _describe } from '../_internal/describe.js';
import { _jsonWriteProblem } from '../_internal/jsonWriteProblem.js';
import { _MAX_TIMER_MS } from '../_internal/maxTimerMs.js';
import {
  _boundedRedisOptions,
  _isAuthError,
  _openRedis,
  _pingWithin,
  _redactIn,
  _redactUrl,
} from '../_internal/redisConnection.js';
import { _checkInteger, _checkOptions } from '../_internal/validate.js';
import { redisCache } from '../cache/redisCache.js';
import {
  CallEngine,
  type MutableTotals,
  type RuntimeNotes,
  type RuntimeOptions,
} from '../calls/callRuntime.js';
import type { KindCounts } from '../calls/callScope.js';
import { giveBackUnsent, type RateLimiter, type RateLimitLease, rateLimiter } from '../calls/rateLimiter.js';
import { redisRateLimiter } from '../calls/redisRateLimiter.js';
import type { Metric, Model } from '../core/types.js';
import { BudgetExceededError, ClusterError } from '../errors.js';
import { checkMetrics } from '../run/options.js';
import { createRowContext, type RowContext, type RowOutcome, runRow } from '../run/rowRunner.js';
import {
  _BULL_PREFIX,
  type _ChunkData,
  type _ChunkRow,
  _encode,
  type _Fingerprint,
  _fingerprint,
  _fingerprintMismatch,
  type _Message,
  _placedOf,
  type _RunSpec,
  _runKeys,
  type _Spend,
  _wireError,
} from './_protocol.js';

/** Options of {@link runWorker}. */
export interface WorkerOptions {
  /** Redis URL of the cluster, e.g. `redis://10.0.0.5:6379`. */
  readonly redis: string;
  /**
   * The task module (a path, relative to the current directory, or a `file:` URL): it exports `model` and
   * `metrics`, the same objects the coordinator passes to `evaluate()`.
   */
  readonly task: string;
  /** Rows in flight at once in this worker (and network calls in flight). Minimum: `1`. @default 8 */
  readonly concurrency?: number;
  /** BullMQ queue to take chunks from. @default 'evalgate' */
  readonly queue?: string;
  /**
   * BullMQ lock of a chunk, in ms: a worker that stops renewing it (killed) loses its chunk to another worker
   * after about this long. Range: `100` to 2^31 - 1 (Node's longest timer). @default 10000
   */
  readonly lockDurationMs?: number;
  /**
   * Longest time Redis may be unreachable, in ms — at the start, or lost mid-run — while the worker retries
   * with back-off; past it the worker gives up (`runWorker` rejects, or {@link ClusterWorker.failed}
   * settles) with a `ClusterError`. A refused password fails at once. Minimum: `0`. @default 60000
   */
  readonly maxWaitMs?: number;
  /** Called with one line per retry of the Redis connection (what failed, the attempt, the next delay). */
  readonly onRetry?: (line: string) => void;
}

const WORKER_KEYS = Object.keys({
  redis: true,
  task: true,
  concurrency: true,
  queue: true,
  lockDurationMs: true,
  maxWaitMs: true,
  onRetry: true,
} satisfies Record<keyof WorkerOptions, true>);

/** A running worker. */
export interface ClusterWorker {
  /** Rows this worker has recorded so far. */
  readonly rowsDone: number;
  /** Stops taking chunks, waits for the rows in flight, and closes the connections. Idempotent. */
  close(): Promise<void>;
  /**
   * Settles with the `ClusterError` that made the worker give up (Redis lost for more than `maxWaitMs`); the
   * worker is closed by then. Never settles while the worker runs.
   */
  readonly failed: Promise<ClusterError>;
}

interface RunContext {
  readonly spec: _RunSpec;
  readonly keys: ReturnType<typeof _runKeys>;
  readonly rows: RowContext;
  readonly totals: Readonly<MutableTotals>;
  readonly runtime: CallEngine;
  readonly controller: AbortController;
  sent: { totals: MutableTotals; kinds: KindCounts; notes: RuntimeNotes };
  active: number;
  /** Claims of the rows running here, renewed while they run. */
  readonly claims: Set<string>;
  poll: ReturnType<typeof setInterval> | undefined;
  mismatch: string | undefined;
  /** The run stopped (budget, gate, abort): nothing new is sent; calls in flight finish and are recorded. */
  stopping: boolean;
  /**
   * The run's global budget is reached: every new call is refused, which ends its row with a budget stop (sent to
   * the coordinator); rows that make no call still run, as in one process.
   */
  budgetReached: boolean;
  close(): Promise<void>;
}

/** The import specifier of a task given as a path or URL. */
function specifierOf(task: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(task) && !/^[a-z]:[\\/]/i.test(task)) return task;
  return pathToFileURL(isAbsolute(task) ? task : resolve(task)).href;
}

/**
 * Starts a worker of cluster runs: it takes chunks of rows from BullMQ (as many rows in flight as
 * `concurrency`, pulling the next chunk as soon as it frees up), runs each row exactly as a single-process
 * `evaluate()` would — the same row runner, under the run's options as the coordinator sent them (cache,
 * retry, timeouts, budget, pricing, and a rate limit shared through Redis) — and streams each outcome back.
 * A row is recorded once: before a chunk runs again (its worker died), rows already recorded are skipped, and
 * calls already answered come from the shared cache. A worker whose task differs from the coordinator's
 * (evalgate version, task file name and content, metric names) refuses the run, which then fails with a
 * `ClusterError`.
 *
 * The cache and the rate limiter are opened on this worker's own `redis` connection (the run spec says which
 * prefix and limits, never where to connect). When the run stops for a budget or an abort, nothing new is sent
 * and the calls already sent finish and are recorded; when its coordinator stops renewing its heartbeat, the
 * run is abandoned at once. Redis unreachable at the start, or lost mid-run, is retried with back-off (one
 * `onRetry` line per attempt) for up to `maxWaitMs`; a refused password fails at once.
 *
 * @param options - see {@link WorkerOptions}.
 * @returns the running worker; `close()` it to stop; `failed` settles if it gives up on Redis.
 * @throws {TypeError} on a bad option, or a task module without `model` / `metrics`.
 * @throws {ClusterError} (`'redis-unreachable'`) when Redis does not answer within `maxWaitMs`, or refuses the
 *   credentials; (`'unsupported'`) when the task module cannot be read to fingerprint it.
 * @example
 * ```ts
 * // task.ts exports `model` and `metrics`
 * const worker = await runWorker({
 *   redis: 'rediss://evalgate:secret@10.0.0.5:6380',
 *   task: './task.ts',
 *   concurrency: 8,
 *   onRetry: (line) => console.error(line), // "evalgate worker: lost Redis rediss://evalgate:***@…"
 * });
 * process.on('SIGTERM', () => void worker.close());
 * const err = await worker.failed; // only if Redis stays away for more than maxWaitMs
 * err.reason;
 * // => 'redis-lost'
 * ```
 */
export async function runWorker(options: WorkerOptions): Promise<ClusterWorker> {
  _checkOptions('runWorker', options, WORKER_KEYS);
  if (typeof options.redis !== 'string' || !/^rediss?:\/\//.test(options.redis))
    throw new TypeError(
      `Expected \`redis\` to be a redis:// or rediss:// URL, got ${typeof options.redis === 'string' ? `"${_redactUrl(options.redis)}" (string)` : _describe(options.redis)}`,
    );
  if (typeof options.task !== 'string' || options.task === '')
    throw new TypeError(`Expected \`task\` to be a module path or URL, got ${_describe(options.task)}`);
  const concurrency = _checkInteger('concurrency', options.concurrency ?? 8, 1);
  const lockDuration = _checkInteger('lockDurationMs', options.lockDurationMs ?? 10_000, 100, _MAX_TIMER_MS);
  const maxWaitMs = _checkInteger('maxWaitMs', options.maxWaitMs ?? 60_000, 0);
  const queueName = options.queue ?? 'evalgate';
  const where = _redactUrl(options.redis);
  const say = (line: string) => options.onRetry?.(_redactIn(line, options.redis));

  const mod = (await import(specifierOf(options.task))) as { model?: unknown; metrics?: unknown };
  if (typeof mod.model !== 'function')
    throw new TypeError(
      `Expected the task module "${options.task}" to export \`model\` (a function), got ${_describe(mod.model)}`,
    );
  const model = mod.model as Model;
  const metrics = checkMetrics(mod.metrics) as readonly Metric[];
  const fingerprint: _Fingerprint = await _fingerprint(options.task, metrics);

  const { Worker, UnrecoverableError } = await import('bullmq');
  const giveUp = (reason: 'redis-unreachable' | 'redis-lost', what: string, cause: unknown) =>
    new ClusterError(
      `Cluster worker: ${what} (Redis ${where}): ${_redactIn(String((cause as Error)?.message ?? cause), options.redis)}. Check that redis-server runs at that address, the password or ACL user, and TLS (rediss://); raise --max-wait to wait longer.`,
      reason,
      { role: 'worker', redis: where, cause },
    );
  // The command connection reconnects for as long as the worker waits (the watchdog below gives up).
  const cmd = _openRedis(options.redis, { maxReconnects: Number.POSITIVE_INFINITY });
  await connectWithin(cmd, maxWaitMs, say).catch((cause) => {
    cmd.disconnect();
    throw giveUp(
      'redis-unreachable',
      _isAuthError(cause)
        ? 'Redis refused the user or password'
        : `Redis did not answer within ${maxWaitMs} ms (--max-wait)`,
      cause,
    );
  });
  const rowQueue = new PQueue({ concurrency });
  const runs = new Map<string, Promise<RunContext>>();
  let rowsDone = 0;
  const me = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 10)}`;

  async function openRun(runId: string): Promise<RunContext> {
    const keys = _runKeys(runId);
    const text = await cmd.get(keys.spec);
    if (text === null) throw new RunOverError(runId);
    const spec = JSON.parse(text) as _RunSpec;
    const mismatch = _fingerprintMismatch(spec.fingerprint, fingerprint);
    const controller = new AbortController();
    const closers: (() => Promise<void>)[] = [];
    const runtimeOptions: { -readonly [K in keyof RuntimeOptions]: RuntimeOptions[K] } = {
      concurrency,
      timeoutMs: spec.timeoutMs,
    };
    if (spec.retry !== undefined) runtimeOptions.retry = spec.retry;
    if (spec.budget !== undefined) runtimeOptions.budget = spec.budget;
    if (spec.pricing !== undefined) runtimeOptions.pricing = spec.pricing;
    // The cache and the limiter live on this worker's own connection: the spec says what, never where.
    if (spec.cache !== undefined) {
      const store = redisCache({ connection: cmd, prefix: spec.cache.prefix });
      runtimeOptions.cache = { store, mode: spec.cache.mode };
    }
    const rl = spec.rateLimit;
    let limiter: RateLimiter | undefined;
    if (rl !== undefined) {
      const limits = {
        ...(rl.rpm === undefined ? {} : { rpm: rl.rpm }),
        ...(rl.tpm === undefined ? {} : { tpm: rl.tpm }),
        ...(rl.windowMs === undefined ? {} : { windowMs: rl.windowMs }),
        ...(rl.expectedOutputTokens === undefined ? {} : { expectedOutputTokens: rl.expectedOutputTokens }),
      };
      if (rl.scope === 'per-worker') limiter = rateLimiter(limits);
      else {
        const shared = redisRateLimiter({
          connection: cmd,
          name: rl.name,
          ...limits,
          ...(rl.leaseMs === undefined ? {} : { leaseMs: rl.leaseMs }),
        });
        closers.push(() => shared.close());
        limiter = shared;
      }
    }
    let ctx!: RunContext;
    // Each worker's runtime sees only its own spend: a request is reserved on the run's counter before it is sent.
    const maxRequests = spec.budget?.maxRequests;
    const reserve =
      maxRequests === undefined || !Number.isFinite(maxRequests)
        ? undefined
        : async () => {
            const n = await cmd
              .multi()
              .incr(keys.requests)
              .pexpire(keys.requests, 6 * spec.heartbeatTimeoutMs)
              .exec();
            return Number(n?.[0]?.[1]) <= maxRequests
              ? undefined
              : new BudgetExceededError(
                  `Budget reached: the cluster's workers have sent maxRequests ${maxRequests} requests`,
                  'maxRequests',
                );
          };
    runtimeOptions.rateLimit = _stopGuard(limiter, () => ctx.stopping || ctx.budgetReached, reserve);
    const runtime = new CallEngine(runtimeOptions);
    const rows = createRowContext({
      model,
      metrics,
      runtime,
      signal: controller.signal,
      rowTimeoutMs: spec.rowTimeoutMs,
      metricTimeoutMs: spec.metricTimeoutMs,
      replay: spec.cache?.mode === 'replay',
      ...(spec.trajectory === undefined ? {} : { trajectory: spec.trajectory }),
    });

    ctx = {
      spec,
      keys,
      rows,
      totals: runtime.totals,
      runtime,
      controller,
      sent: {
        totals: { ...runtime.totals },
        kinds: structuredClone(rows.kinds),
        notes: runtime.notes,
      },
      active: 0,
      claims: new Set(),
      poll: undefined,
      mismatch,
      stopping: false,
      budgetReached: false,
      async close() {
        if (ctx.poll !== undefined) clearInterval(ctx.poll);
        controller.abort(new Error(`run ${runId} is over`));
        for (const c of closers) await c().catch(() => {});
      },
    };
    return ctx;
  }

  function contextOf(runId: string): Promise<RunContext> {
    let p = runs.get(runId);
    if (p === undefined) {
      p = openRun(runId);
      runs.set(runId, p);
      p.catch(() => runs.delete(runId));
    }
    return p;
  }

  /** What the run spent here since the previous message. */
  function spendOf(ctx: RunContext): _Spend {
    const now = { ...ctx.totals };
    const kinds = structuredClone(ctx.rows.kinds);
    const totals = { ...now };
    for (const k of Object.keys(totals) as (keyof MutableTotals)[])
      totals[k] = (totals[k] ?? 0) - (ctx.sent.totals[k] ?? 0);
    const dk = structuredClone(kinds);
    for (const kind of Object.keys(dk) as (keyof KindCounts)[]) {
      dk[kind].calls -= ctx.sent.kinds[kind].calls;
      dk[kind].cacheHits -= ctx.sent.kinds[kind].cacheHits;
    }
    // What the run's warnings are made of: unpriced calls by model, faults (a failing cache) by kind.
    const notes = ctx.runtime.notes;
    const unpriced: [string | null, number][] = [];
    for (const [m, n] of notes.unpriced) {
      const d = n - (ctx.sent.notes.unpriced.get(m) ?? 0);
      if (d !== 0) unpriced.push([m ?? null, d]);
    }
    const faults: [string, { count: number; first: string }][] = [];
    for (const [what, f] of notes.faults) {
      const d = f.count - (ctx.sent.notes.faults.get(what)?.count ?? 0);
      if (d !== 0) faults.push([what, { count: d, first: f.first }]);
    }
    ctx.sent = { totals: now, kinds, notes };
    return {
      totals,
      kinds: dk,
      ...(unpriced.length === 0 ? {} : { unpriced }),
      ...(faults.length === 0 ? {} : { faults }),
    };
  }

  /** Whether a spend delta holds anything: a total or a per-kind count that moved, a note of a warning. */
  function hasSpend(spend: _Spend): boolean {
    return (
      Object.values(spend.totals).some((v) => v !== 0) ||
      Object.values(spend.kinds).some((k) => k.calls !== 0 || k.cacheHits !== 0) ||
      spend.unpriced !== undefined ||
      spend.faults !== undefined
    );
  }

  async function send(
    ctx: RunContext,
    message: _Message,
    row?: number,
    text = _encode(message),
  ): Promise<void> {
    const tx = cmd.multi().xadd(ctx.keys.stream, '*', 'm', text);
    if (row !== undefined) tx.setbit(ctx.keys.done, row, 1).del(ctx.keys.claim(row));
    await tx.exec();
  }

  /**
   * Claims row `r` for this worker. A chunk runs twice when BullMQ takes it for stalled (its worker died, or
   * was too busy to renew its lock): a row another live worker is running is waited for, not run again, so
   * only the rows a dead worker had in flight are paid twice. False when the row is recorded meanwhile, or
   * the run stopped.
   */
  async function claim(ctx: RunContext, r: _ChunkRow): Promise<boolean> {
    const key = ctx.keys.claim(r.row);
    for (;;) {
      if (ctx.controller.signal.aborted || ctx.stopping) return false;
      if ((await cmd.set(key, me, 'PX', lockDuration, 'NX')) === 'OK') {
        ctx.claims.add(key);
        if ((await cmd.getbit(ctx.keys.done, r.row)) === 0) return true;
        ctx.claims.delete(key);
        return false;
      }
      if ((await cmd.getbit(ctx.keys.done, r.row)) === 1) return false;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function runOne(ctx: RunContext, r: _ChunkRow): Promise<void> {
    if (!(await claim(ctx, r))) return;
    let outcome: RowOutcome;
    try {
      outcome = await runRow(ctx.rows, _placedOf(r), r.trial);
    } finally {
      ctx.claims.delete(ctx.keys.claim(r.row));
    }
    if (outcome.kind === 'cancelled' || (outcome.kind === 'budget' && ctx.stopping)) {
      await cmd.del(ctx.keys.claim(r.row)).catch(() => 0);
      return;
    }
    if (outcome.kind === 'done') {
      const message: _Message = { type: 'row', row: r.row, outcome, spend: spendOf(ctx) };
      let text: string;
      try {
        text = _encode(message);
      } catch (cause) {
        // A record JSON cannot write (a metric's details holding a BigInt or a cycle) would fail the chunk and leave
        // the coordinator waiting for its row: the run stops instead, naming the example and the field.
        const problem =
          _jsonWriteProblem(outcome.record, 'record') ?? String((cause as Error)?.message ?? cause);
        const err = new ClusterError(
          `The record of example "${r.placed.id}" (trial ${r.trial}) cannot travel back to the coordinator: ${problem}. Workers send records as JSON; give the field a JSON value (a BigInt as a string or a number, a cycle as plain data).`,
          'not-carried',
          { role: 'worker', exampleId: r.placed.id, cause },
        );
        await send(ctx, { type: 'fatal', error: _wireError(err), spend: message.spend });
        ctx.controller.abort(new Error('the run stopped'));
        return;
      }
      await send(ctx, message, r.row, text);
      rowsDone++;
      return;
    }
    if (outcome.kind === 'budget') {
      // This worker alone reached a limit: send nothing new, but finish (and record) the calls in flight.
      ctx.stopping = true;
      await send(ctx, { type: 'budget', spend: spendOf(ctx) });
      return;
    }
    await send(ctx, { type: 'fatal', error: _wireError(outcome.error), spend: spendOf(ctx) });
    ctx.controller.abort(new Error('the run stopped'));
  }

  /**
   * While the run has rows here, watch for its stop: `drain` (budget, gate, abort: nothing new is sent, calls
   * in flight finish and are recorded), `abort` (a fatal error: everything stops), or the run being over or
   * abandoned (its spec gone, or no heartbeat from its coordinator for `heartbeatTimeoutMs`: nobody would
   * read what it pays for).
   */
  function watch(ctx: RunContext, runId: string): void {
    if (ctx.poll !== undefined) return;
    let lastBeat = Date.now();
    ctx.poll = setInterval(() => {
      const p = cmd.pipeline();
      for (const key of ctx.claims) p.pexpire(key, lockDuration);
      p.get(ctx.keys.stop)
        .exists(ctx.keys.spec)
        .exists(ctx.keys.alive)
        .exec()
        .then((all) => {
          const res = all?.slice(-3);
          const stop = res?.[0]?.[1];
          const gone = res?.[1]?.[1] === 0;
          if (res?.[2]?.[1] === 1) lastBeat = Date.now();
          const abandoned = Date.now() - lastBeat > ctx.spec.heartbeatTimeoutMs;
          if (stop === 'drain') ctx.stopping = true;
          if (stop === 'budget') ctx.budgetReached = true;
          if (stop === 'abort' || gone || abandoned) ctx.controller.abort(new Error(`run ${runId} stopped`));
          if (gone || abandoned) {
            runs.delete(runId);
            void ctx.close();
          }
        })
        .catch(() => {});
    }, 200);
  }

  const worker = new Worker<_ChunkData>(
    queueName,
    async (job) => {
      const data = job.data;
      let ctx: RunContext;
      try {
        ctx = await contextOf(data.runId);
      } catch (err) {
        // The run is over (finished, or abandoned by its coordinator): its chunk is dropped unpaid.
        if (err instanceof RunOverError) return;
        throw err;
      }
      if (ctx.mismatch !== undefined) {
        const err = new ClusterError(
          `A worker refused run ${data.runId}: ${ctx.mismatch}. Start the workers with the same task module and evalgate version as the coordinator.`,
          'mismatch',
          { role: 'worker' },
        );
        await send(ctx, { type: 'fatal', error: _wireError(err) }).catch(() => {});
        throw new UnrecoverableError(err.message);
      }
      if (ctx.controller.signal.aborted) return;
      const [alive, stop] = await Promise.all([cmd.exists(ctx.keys.alive), cmd.get(ctx.keys.stop)]);
      if (stop === 'budget') ctx.budgetReached = true;
      if (alive === 0 || (stop !== null && stop !== 'budget')) {
        if (stop === 'drain') ctx.stopping = true;
        else ctx.controller.abort(new Error(`run ${data.runId} is over`));
        return;
      }
      const bits = await data.rows.reduce((p, r) => p.getbit(ctx.keys.done, r.row), cmd.pipeline()).exec();
      const todo = data.rows.filter((_, i) => bits?.[i]?.[1] !== 1);
      ctx.active++;
      watch(ctx, data.runId);
      try {
        await Promise.all(todo.map((r) => rowQueue.add(() => runOne(ctx, r))));
      } finally {
        // Rows cancelled by a stop spent something too: totals are global, so that is reported as well.
        const spend = spendOf(ctx);
        // Any change is sent: `spendOf` has already moved the mark, so a delta left unsent (a cache miss counted
        // before its request was) would be lost from the run's totals.
        if (hasSpend(spend)) await send(ctx, { type: 'spend', spend }).catch(() => {});
        ctx.active--;
        if (ctx.active === 0 && ctx.poll !== undefined) {
          clearInterval(ctx.poll);
          ctx.poll = undefined;
        }
        // A run with nothing here for a while may be over: drop its runtime once its spec is gone.
        if (ctx.active === 0)
          setTimeout(() => {
            if (ctx.active > 0) return;
            cmd
              .exists(ctx.keys.spec)
              .then((n) => {
                if (n === 0 && ctx.active === 0 && runs.get(data.runId) !== undefined) {
                  runs.delete(data.runId);
                  void ctx.close();
                }
              })
              .catch(() => {});
          }, 5000).unref();
      }
    },
    {
      connection: {
        url: options.redis,
        ..._boundedRedisOptions({ maxRetriesPerRequest: null, maxReconnects: Number.POSITIVE_INFINITY }),
      },
      prefix: _BULL_PREFIX,
      // Two chunks per worker: while the last rows of one finish, the next one's rows fill the free slots.
      concurrency: 2,
      lockDuration,
      // BullMQ renews a lock about 1.5 renew periods after taking it: a quarter of the lock leaves room for a
      // busy event loop (the default, half, lets a live worker's chunk look stalled on a loaded machine).
      lockRenewTime: Math.max(50, Math.floor(lockDuration / 4)),
      stalledInterval: Math.max(100, Math.floor(lockDuration / 2)),
      maxStalledCount: 3,
    },
  );
  // Connection failures are reported once per retry by the watchdog below, never as raw stacks.
  worker.on('error', () => {});
  await worker.waitUntilReady();

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      clearInterval(watchdog);
      const bounded = <T>(p: Promise<T>) =>
        Promise.race([
          p,
          new Promise<undefined>((r) => setTimeout(() => r(undefined), 10_000).unref()),
        ]).catch(() => undefined);
      await bounded(worker.close(down !== undefined));
      for (const p of runs.values()) await (await p.catch(() => undefined))?.close();
      runs.clear();
      await bounded(cmd.quit());
      cmd.disconnect();
    })();
    return closing;
  };

  // The watchdog: one line per reconnect attempt; past maxWaitMs without Redis, the worker gives up.
  let down: number | undefined;
  let attempt = 0;
  let reportFailure!: (err: ClusterError) => void;
  const failed = new Promise<ClusterError>((resolve) => {
    reportFailure = resolve;
  });
  cmd.on('reconnecting', (delay: number) => {
    down ??= Date.now();
    attempt++;
    say(
      `evalgate worker: lost Redis ${where} (${cmd.lastError?.message ?? 'connection closed'}); reconnecting in ${delay} ms (attempt ${attempt}, giving up after ${maxWaitMs} ms)`,
    );
  });
  cmd.on('ready', () => {
    if (down !== undefined) say(`evalgate worker: Redis ${where} is back after ${Date.now() - down} ms`);
    down = undefined;
    attempt = 0;
  });
  const watchdog = setInterval(() => {
    if (down === undefined || Date.now() - down <= maxWaitMs) return;
    const err = giveUp(
      'redis-lost',
      `lost Redis for more than ${maxWaitMs} ms (--max-wait)`,
      cmd.lastError ?? new Error('connection closed'),
    );
    void close().then(() => reportFailure(err));
  }, 250);

  return {
    get rowsDone() {
      return rowsDone;
    },
    close,
    failed,
  };
}

/** A chunk of a run whose spec is gone from Redis (finished, or abandoned). */
class RunOverError extends Error {
  constructor(runId: string) {
    super(`run ${runId} is over (its spec is gone from Redis)`);
  }
}

/**
 * Connects `redis`, retrying with back-off (one line per attempt through `say`) for up to `maxWaitMs`. A
 * refused password or ACL user fails at once: waiting does not fix it.
 */
async function connectWithin(
  redis: Redis & { lastError?: Error },
  maxWaitMs: number,
  say: (line: string) => void,
): Promise<void> {
  const until = Date.now() + maxWaitMs;
  for (let attempt = 1; ; attempt++) {
    try {
      await _pingWithin(redis, Math.max(1, Math.min(1000, until - Date.now())));
      return;
    } catch (err) {
      if (_isAuthError(err)) throw err;
      const left = until - Date.now();
      if (left <= 0) throw err;
      const delay = Math.min(250 * 2 ** (attempt - 1), 5000, left);
      say(
        `evalgate worker: Redis unreachable (${(err as Error)?.message ?? err}); attempt ${attempt}, retrying in ${delay} ms (giving up after ${maxWaitMs} ms)`,
      );
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

/**
 * The worker's limiter, guarded: once its run stops, a call not yet sent is refused (as a budget stop, which
 * drops its row unpaid), while calls already sent finish, so their paid responses are recorded.
 * @internal
 */
export function _stopGuard(
  inner: RateLimiter | undefined,
  stopping: () => boolean,
  reserve?: () => Promise<BudgetExceededError | undefined>,
): RateLimiter {
  const refuse = () => new BudgetExceededError('The cluster run stopped: no new call is sent', 'maxRequests');
  const none: RateLimitLease = { release() {} };
  return {
    rpm: inner?.rpm ?? Number.POSITIVE_INFINITY,
    tpm: inner?.tpm ?? Number.POSITIVE_INFINITY,
    windowMs: inner?.windowMs ?? 60_000,
    expectedOutputTokens: inner?.expectedOutputTokens ?? 0,
    async acquire(tokens, signal) {
      if (stopping()) throw refuse();
      const lease = inner === undefined ? none : await inner.acquire(tokens, signal);
      const refused = stopping() ? refuse() : await reserve?.();
      if (refused !== undefined) {
        // Never sent: the slot of the shared limiter goes back unused.
        giveBackUnsent(lease, 0);
        throw refused;
      }
      return lease;
    },
    tryAcquire(tokens) {
      // A reservation needs a round trip to Redis.
      if (stopping() || reserve !== undefined) return undefined;
      return inner === undefined ? none : inner.tryAcquire(tokens);
    },
    usage: () => inner?.usage() ?? { requests: 0, tokens: 0, queued: 0 },
    ...(inner?.pause === undefined ? {} : { pause: (ms: number) => inner.pause!(ms) }),
  };
}
