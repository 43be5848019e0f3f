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
import { _redisOf } from '../_internal/redisConnection.js';
import { _checkInteger, _checkOptionsObject } from '../_internal/validate.js';
import { redisCache } from '../cache/redisCache.js';
import type { Metric, Model } from '../core/types.js';
import { ClusterError } from '../errors.js';
import { _checkMetrics } from '../run/options.js';
import { _createRowContext, type _RowContext, type _RowOutcome, _runRow } from '../run/rowRunner.js';
import type { _KindCounts } from '../scheduler/callScope.js';
import { redisRateLimiter } from '../scheduler/redisRateLimiter.js';
import { _createRuntime, type MutableTotals, type RuntimeOptions } from '../scheduler/runtime.js';
import {
  _BULL_PREFIX,
  type _ChunkData,
  type _ChunkRow,
  _encode,
  type _Fingerprint,
  _fingerprint,
  _fingerprintMismatch,
  type _Message,
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
   * after about this long. Minimum: `100`. @default 10000
   */
  readonly lockDurationMs?: number;
}

/** A running worker. */
export interface ClusterWorker {
  /** Rows this worker has recorded so far. */
  readonly rowsDone: number;
  /** Stops taking chunks, waits for the rows in flight, and closes the connections. Idempotent. */
  close(): Promise<void>;
}

interface RunContext {
  readonly spec: _RunSpec;
  readonly keys: ReturnType<typeof _runKeys>;
  readonly rows: _RowContext;
  readonly totals: Readonly<MutableTotals>;
  readonly controller: AbortController;
  sent: { totals: MutableTotals; kinds: _KindCounts };
  active: number;
  /** Claims of the rows running here, renewed while they run. */
  readonly claims: Set<string>;
  poll: ReturnType<typeof setInterval> | undefined;
  mismatch: string | undefined;
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
 * (evalgate version, task file name, metric names) refuses the run, which then fails with a `ClusterError`.
 *
 * @param options - see {@link WorkerOptions}.
 * @returns the running worker; `close()` it to stop.
 * @throws {TypeError} on a bad option, or a task module without `model` / `metrics`.
 * @example
 * ```ts
 * // task.ts exports `model` and `metrics`
 * const worker = await runWorker({ redis: 'redis://127.0.0.1:6379', task: './task.ts', concurrency: 8 });
 * process.on('SIGTERM', () => void worker.close());
 * ```
 */
export async function runWorker(options: WorkerOptions): Promise<ClusterWorker> {
  _checkOptionsObject('runWorker', options);
  if (typeof options.redis !== 'string' || !/^rediss?:\/\//.test(options.redis))
    throw new TypeError(`Expected \`redis\` to be a redis:// URL, got ${_describe(options.redis)}`);
  if (typeof options.task !== 'string' || options.task === '')
    throw new TypeError(`Expected \`task\` to be a module path or URL, got ${_describe(options.task)}`);
  const concurrency = _checkInteger('concurrency', options.concurrency ?? 8, 1);
  const lockDuration = _checkInteger('lockDurationMs', options.lockDurationMs ?? 10_000, 100);
  const queueName = options.queue ?? 'evalgate';

  const mod = (await import(specifierOf(options.task))) as { model?: unknown; metrics?: unknown };
  if (typeof mod.model !== 'function')
    throw new TypeError(
      `Expected the task module "${options.task}" to export \`model\` (a function), got ${_describe(mod.model)}`,
    );
  const model = mod.model as Model;
  const metrics = _checkMetrics(mod.metrics) as readonly Metric[];
  const fingerprint: _Fingerprint = _fingerprint(options.task, metrics);

  const { Worker, UnrecoverableError } = await import('bullmq');
  const cmd: Redis = _redisOf('runWorker', { url: options.redis });
  const rowQueue = new PQueue({ concurrency });
  const runs = new Map<string, Promise<RunContext>>();
  let rowsDone = 0;
  const me = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 10)}`;

  async function openRun(runId: string): Promise<RunContext> {
    const keys = _runKeys(runId);
    const text = await cmd.get(keys.spec);
    if (text === null) throw new UnrecoverableError(`run ${runId} is over (its spec is gone from Redis)`);
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
    if (spec.cache !== undefined) {
      const store = redisCache({
        ...(spec.cache.url === undefined ? { connection: cmd } : { url: spec.cache.url }),
        prefix: spec.cache.prefix,
      });
      closers.push(async () => store.close());
      runtimeOptions.cache = { store, mode: spec.cache.mode };
    }
    const rl = spec.rateLimit;
    if (rl !== undefined) {
      const limits = {
        ...(rl.rpm === undefined ? {} : { rpm: rl.rpm }),
        ...(rl.tpm === undefined ? {} : { tpm: rl.tpm }),
        ...(rl.windowMs === undefined ? {} : { windowMs: rl.windowMs }),
        ...(rl.expectedOutputTokens === undefined ? {} : { expectedOutputTokens: rl.expectedOutputTokens }),
      };
      if (rl.scope === 'per-worker') runtimeOptions.rateLimit = limits;
      else {
        const limiter = redisRateLimiter({
          ...(rl.url === undefined ? { connection: cmd } : { url: rl.url }),
          name: rl.name,
          ...limits,
          ...(rl.leaseMs === undefined ? {} : { leaseMs: rl.leaseMs }),
        });
        closers.push(() => limiter.close());
        runtimeOptions.rateLimit = limiter;
      }
    }
    const runtime = _createRuntime(runtimeOptions);
    const rows = _createRowContext({
      model,
      metrics,
      runtime,
      signal: controller.signal,
      rowTimeoutMs: spec.rowTimeoutMs,
      metricTimeoutMs: spec.metricTimeoutMs,
      replay: spec.cache?.mode === 'replay',
      ...(spec.trajectory === undefined ? {} : { trajectory: spec.trajectory }),
    });

    const ctx: RunContext = {
      spec,
      keys,
      rows,
      totals: runtime.totals,
      controller,
      sent: { totals: { ...runtime.totals }, kinds: structuredClone(rows.kinds) },
      active: 0,
      claims: new Set(),
      poll: undefined,
      mismatch,
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
    for (const k of Object.keys(totals) as (keyof MutableTotals)[]) totals[k] -= ctx.sent.totals[k];
    const dk = structuredClone(kinds);
    for (const kind of Object.keys(dk) as (keyof _KindCounts)[]) {
      dk[kind].calls -= ctx.sent.kinds[kind].calls;
      dk[kind].cacheHits -= ctx.sent.kinds[kind].cacheHits;
    }
    ctx.sent = { totals: now, kinds };
    return { totals, kinds: dk };
  }

  async function send(ctx: RunContext, message: _Message, row?: number): Promise<void> {
    const tx = cmd.multi().xadd(ctx.keys.stream, '*', 'm', _encode(message));
    if (row !== undefined) tx.setbit(ctx.keys.done, row, 1).del(ctx.keys.claim(row));
    await tx.exec();
  }

  /**
   * Claims row `r` for this worker. A chunk runs twice when BullMQ takes it for stalled (its worker died, or
   * was too busy to renew its lock): a row another live worker is running is waited for, not run again, so
   * only the rows a dead worker had in flight are paid twice. False when the row is recorded meanwhile.
   */
  async function claim(ctx: RunContext, r: _ChunkRow): Promise<boolean> {
    const key = ctx.keys.claim(r.row);
    for (;;) {
      if (ctx.controller.signal.aborted) return false;
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
    let outcome: _RowOutcome;
    try {
      outcome = await _runRow(ctx.rows, r.placed, r.trial);
    } finally {
      ctx.claims.delete(ctx.keys.claim(r.row));
    }
    if (outcome.kind === 'cancelled') {
      await cmd.del(ctx.keys.claim(r.row)).catch(() => 0);
      return;
    }
    if (outcome.kind === 'done') {
      await send(ctx, { type: 'row', row: r.row, outcome, spend: spendOf(ctx) }, r.row);
      rowsDone++;
      return;
    }
    if (outcome.kind === 'budget') await send(ctx, { type: 'budget', spend: spendOf(ctx) });
    else await send(ctx, { type: 'fatal', error: _wireError(outcome.error), spend: spendOf(ctx) });
    ctx.controller.abort(new Error('the run stopped'));
  }

  /** While the run has rows here, watch for its stop (coordinator's decision, or the run being over). */
  function watch(ctx: RunContext, runId: string): void {
    if (ctx.poll !== undefined) return;
    ctx.poll = setInterval(() => {
      const p = cmd.pipeline();
      for (const key of ctx.claims) p.pexpire(key, lockDuration);
      p.get(ctx.keys.stop)
        .exists(ctx.keys.spec)
        .exec()
        .then((all) => {
          const res = all?.slice(-2);
          const stopped = res?.[0]?.[1] !== null;
          const gone = res?.[1]?.[1] === 0;
          if (stopped || gone) ctx.controller.abort(new Error(`run ${runId} stopped`));
          if (gone) {
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
      const ctx = await contextOf(data.runId);
      if (ctx.mismatch !== undefined) {
        const err = new ClusterError(
          `A worker refused run ${data.runId}: ${ctx.mismatch}. Start the workers with the same task module and evalgate version as the coordinator.`,
          'mismatch',
        );
        await send(ctx, { type: 'fatal', error: _wireError(err) }).catch(() => {});
        throw new UnrecoverableError(err.message);
      }
      if (ctx.controller.signal.aborted) return;
      const bits = await data.rows.reduce((p, r) => p.getbit(ctx.keys.done, r.row), cmd.pipeline()).exec();
      const todo = data.rows.filter((_, i) => bits?.[i]?.[1] !== 1);
      ctx.active++;
      watch(ctx, data.runId);
      try {
        await Promise.all(todo.map((r) => rowQueue.add(() => runOne(ctx, r))));
      } finally {
        // Rows cancelled by a stop spent something too: totals are global, so that is reported as well.
        const spend = spendOf(ctx);
        if (spend.totals.requests > 0 || spend.totals.cacheHits > 0 || spend.totals.inputTokens > 0)
          await send(ctx, { type: 'spend', spend }).catch(() => {});
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
      connection: { url: options.redis, maxRetriesPerRequest: null },
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
  worker.on('error', () => {});
  await worker.waitUntilReady();

  let closing: Promise<void> | undefined;
  return {
    get rowsDone() {
      return rowsDone;
    },
    close(): Promise<void> {
      closing ??= (async () => {
        await worker.close();
        for (const p of runs.values()) await (await p.catch(() => undefined))?.close();
        runs.clear();
        await cmd.quit().catch(() => cmd.disconnect());
      })();
      return closing;
    },
  };
}
