/**
 * The `cluster` option of `evaluate()` and its check.
 * @module
 */
import { _describe } from '../_internal/describe.js';
import { _checkChoice, _checkInteger, _checkOptionsObject } from '../_internal/validate.js';

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
  /** Redis URL shared by the coordinator and every worker, e.g. `redis://10.0.0.5:6379`. */
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
}

/** Checks the `cluster` option. */
export function _checkClusterOptions(cluster: unknown): void {
  _checkOptionsObject('cluster', cluster);
  const c = cluster as ClusterOptions;
  if (typeof c.redis !== 'string' || !/^rediss?:\/\//.test(c.redis))
    throw new TypeError(`Expected \`cluster.redis\` to be a redis:// URL, got ${_describe(c.redis)}`);
  if (typeof c.task !== 'string' || c.task === '')
    throw new TypeError(`Expected \`cluster.task\` to be a module path or URL, got ${_describe(c.task)}`);
  if (c.chunkSize !== undefined) _checkInteger('cluster.chunkSize', c.chunkSize, 1);
  if (c.maxChunksInFlight !== undefined) _checkInteger('cluster.maxChunksInFlight', c.maxChunksInFlight, 1);
  if (c.attempts !== undefined) _checkInteger('cluster.attempts', c.attempts, 1);
  if (c.noProgressTimeoutMs !== undefined)
    _checkInteger('cluster.noProgressTimeoutMs', c.noProgressTimeoutMs, 1);
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
