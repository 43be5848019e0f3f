/**
 * The `cluster` option of `evaluate()` and its check.
 * @module
 */
import { _describe } from '../_internal/describe.js';
import { _redactUrl } from '../_internal/redisConnection.js';
import { _checkChoice, _checkInteger, _checkKnownKeys, _checkOptionsObject } from '../_internal/validate.js';

/**
 * Runs `evaluate()` on worker processes (`evalgate worker`) through BullMQ on Redis; the calling process is
 * the coordinator. Every field but `redis` and `task` is optional.
 *
 * @example
 * ```ts
 * const cluster: ClusterOptions = { redis: 'redis://127.0.0.1:6379', task: './evals/task.ts' };
 * ```
 */
export interface ClusterOptions {
  /**
   * Redis URL shared by the coordinator and every worker, e.g. `redis://10.0.0.5:6379`,
   * `redis://app:secret@10.0.0.5:6379` (ACL user and password) or `rediss://…` (TLS). The password is shown
   * as `***` in every message and never stored in Redis.
   */
  readonly redis: string;
  /**
   * The task module the workers run (a path or a `file:` URL, as given to `evalgate worker`): it exports the
   * same `model` and `metrics` the coordinator passes. Coordinator and workers compare its file name, the
   * metric names and the evalgate version, and refuse to mix runs that differ.
   */
  readonly task: string;
  /** Rows per BullMQ job. Minimum: `1`. @default 32 */
  readonly chunkSize?: number;
  /** Chunks enqueued and not yet finished at once (the coordinator's read-ahead). Minimum: `1`. @default 16 */
  readonly maxChunksInFlight?: number;
  /** BullMQ queue name; workers started with `--queue` take jobs from that queue. @default 'evalgate' */
  readonly queue?: string;
  /** Attempts of a chunk before its remaining rows are recorded as failed. Minimum: `1`. @default 3 */
  readonly attempts?: number;
  /**
   * Where a plain `rateLimit: { rpm, tpm }` is enforced: `'global'` — one {@link redisRateLimiter} shared by
   * every worker (the limit holds across them); `'per-worker'` — an in-process limiter in each worker, each
   * allowed the whole limit (N workers may send N times the limit: the control of the benchmark, not for use).
   * @default 'global'
   */
  readonly rateLimitScope?: 'global' | 'per-worker';
  /** Name of the global limit: runs that share a name share one limit (one provider account). @default 'default' */
  readonly rateLimitName?: string;
  /**
   * Longest time without any row coming back, in ms, before the run fails with a `ClusterError`
   * (`reason: 'no-progress'`), e.g. when no worker is running. Minimum: `1`. @default 300000
   */
  readonly noProgressTimeoutMs?: number;
  /**
   * Longest wait for Redis to answer at the start, in ms: past it the run fails with a `ClusterError`
   * (`reason: 'redis-unreachable'`) naming the cause (refused, wrong password, TLS). Minimum: `1`. @default 10000
   */
  readonly connectTimeoutMs?: number;
  /**
   * Longest time Redis may fail mid-run, in ms: the coordinator retries its reads and heartbeat for this long
   * (a restart, a failover), then stops the run with a `ClusterError` (`reason: 'redis-lost'`). Redis that
   * comes back without the run's keys stops it at once (`'redis-reset'`). Minimum: `1`. @default 10000
   */
  readonly redisTimeoutMs?: number;
  /**
   * How long workers go on without the coordinator's heartbeat (renewed every fifth of it) before they
   * abandon the run: a coordinator killed outright costs at most this long of calls. Every key of the run
   * expires after a few heartbeats without renewal. Minimum: `500`. @default 10000
   */
  readonly heartbeatTimeoutMs?: number;
  /**
   * After a budget, gate or abort stop, how long the coordinator waits for the rows in flight on the workers
   * (their calls already sent) so that every paid response is recorded, in ms. Minimum: `0`. @default 30000
   */
  readonly stopGraceMs?: number;
}

/** Every key of {@link ClusterOptions} (the `satisfies` makes the list complete): any other is refused. */
const CLUSTER_KEYS = Object.keys({
  redis: true,
  task: true,
  chunkSize: true,
  maxChunksInFlight: true,
  queue: true,
  attempts: true,
  rateLimitScope: true,
  rateLimitName: true,
  noProgressTimeoutMs: true,
  connectTimeoutMs: true,
  redisTimeoutMs: true,
  heartbeatTimeoutMs: true,
  stopGraceMs: true,
} satisfies Record<keyof ClusterOptions, true>);

/** Checks the `cluster` option. */
export function checkClusterOptions(cluster: unknown): void {
  _checkOptionsObject('cluster', cluster);
  // `heartbeatTimeoutMS: 60000` would otherwise leave workers abandoning the run after the default 10 s.
  _checkKnownKeys('cluster', cluster, CLUSTER_KEYS);
  const c = cluster as ClusterOptions;
  if (typeof c.redis !== 'string' || !/^rediss?:\/\//.test(c.redis))
    throw new TypeError(
      `Expected \`cluster.redis\` to be a redis:// or rediss:// URL, got ${typeof c.redis === 'string' ? `"${_redactUrl(c.redis)}" (string)` : _describe(c.redis)}`,
    );
  if (typeof c.task !== 'string' || c.task === '')
    throw new TypeError(`Expected \`cluster.task\` to be a module path or URL, got ${_describe(c.task)}`);
  if (c.chunkSize !== undefined) _checkInteger('cluster.chunkSize', c.chunkSize, 1);
  if (c.maxChunksInFlight !== undefined) _checkInteger('cluster.maxChunksInFlight', c.maxChunksInFlight, 1);
  if (c.attempts !== undefined) _checkInteger('cluster.attempts', c.attempts, 1);
  if (c.noProgressTimeoutMs !== undefined)
    _checkInteger('cluster.noProgressTimeoutMs', c.noProgressTimeoutMs, 1);
  if (c.connectTimeoutMs !== undefined) _checkInteger('cluster.connectTimeoutMs', c.connectTimeoutMs, 1);
  if (c.redisTimeoutMs !== undefined) _checkInteger('cluster.redisTimeoutMs', c.redisTimeoutMs, 1);
  if (c.heartbeatTimeoutMs !== undefined)
    _checkInteger('cluster.heartbeatTimeoutMs', c.heartbeatTimeoutMs, 500);
  if (c.stopGraceMs !== undefined) _checkInteger('cluster.stopGraceMs', c.stopGraceMs, 0);
  if (c.queue !== undefined && (typeof c.queue !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(c.queue)))
    throw new TypeError(
      `Expected \`cluster.queue\` to be a name of letters, digits, _ . -, got ${_describe(c.queue)}`,
    );
  if (c.rateLimitScope !== undefined)
    _checkChoice('cluster.rateLimitScope', c.rateLimitScope, ['global', 'per-worker'] as const);
  if (
    c.rateLimitName !== undefined &&
    (typeof c.rateLimitName !== 'string' || !/^[A-Za-z0-9_.:-]+$/.test(c.rateLimitName))
  )
    throw new TypeError(
      `Expected \`cluster.rateLimitName\` to be a name of letters, digits, _ . : -, got ${_describe(c.rateLimitName)}`,
    );
}
