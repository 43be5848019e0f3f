/**
 * What the coordinator and the workers of a cluster run exchange through Redis: the keys of a run, the run's
 * serializable spec (fingerprint and options), the job data of a chunk, and the messages of the record stream.
 * @module
 */

import type { CacheMode } from '../cache/CacheStore.js';
import type { Metric } from '../core/types.js';
import type { _PlacedExample } from '../dataset/examples.js';
import { ClusterError, EvalgateError, ReplayMissError, type SerializedError } from '../errors.js';
import type { _RowOutcome } from '../run/rowRunner.js';
import type { BudgetOptions } from '../scheduler/budget.js';
import type { _KindCounts } from '../scheduler/callScope.js';
import type { Pricing } from '../scheduler/pricing.js';
import type { MutableTotals, RetryOptions } from '../scheduler/runtime.js';
import { VERSION } from '../version.js';

/** BullMQ's key prefix for evalgate's queues. */
export const _BULL_PREFIX = 'evalgate:bull';

/** The Redis keys of one run (one hash slot, so a Redis Cluster keeps them together). */
export function _runKeys(runId: string) {
  const base = `evalgate:run:{${runId}}:`;
  return {
    /** The run's {@link _RunSpec} (JSON). */
    spec: `${base}spec`,
    /** The record stream: one entry per finished row (and per stop message). */
    stream: `${base}records`,
    /** Bitmap of rows recorded, so a chunk that runs again skips them. */
    done: `${base}done`,
    /** Set once the run stops: workers abort what they still run of it. */
    stop: `${base}stop`,
    /** A row's claim: the worker running it (renewed while it runs), so a chunk that runs twice runs each row once. */
    claim: (row: number) => `${base}claim:${row}`,
  } as const;
}

/** What coordinator and workers must agree on. */
export interface _Fingerprint {
  readonly evalgateVersion: string;
  /** The task module's file name (paths differ from machine to machine). */
  readonly task: string;
  readonly metrics: readonly string[];
}

/** The fingerprint of a task: its file name, its metric names, this evalgate. */
export function _fingerprint(task: string, metrics: readonly Metric[]): _Fingerprint {
  const file =
    task
      .replace(/[?#].*$/, '')
      .split(/[\\/]/)
      .at(-1) ?? task;
  return { evalgateVersion: VERSION, task: file, metrics: metrics.map((m) => m.name) };
}

/** How `got` differs from `want`, or `undefined` when they match. */
export function _fingerprintMismatch(want: _Fingerprint, got: _Fingerprint): string | undefined {
  if (want.evalgateVersion !== got.evalgateVersion)
    return `evalgate ${got.evalgateVersion} on the worker, ${want.evalgateVersion} on the coordinator`;
  if (want.task !== got.task) return `task "${got.task}" on the worker, "${want.task}" on the coordinator`;
  if (want.metrics.join('\u0000') !== got.metrics.join('\u0000'))
    return `metrics [${got.metrics.join(', ')}] on the worker, [${want.metrics.join(', ')}] on the coordinator`;
  return undefined;
}

/** The run's options as they travel to the workers (everything here is JSON). */
export interface _RunSpec {
  readonly runId: string;
  readonly fingerprint: _Fingerprint;
  readonly timeoutMs: number;
  readonly rowTimeoutMs: number;
  readonly metricTimeoutMs: number;
  /** The run's `trajectory` option, resolved: the form each row's calls are recorded in. */
  readonly trajectory?: 'full' | 'tool-calls';
  readonly retry?: RetryOptions;
  readonly budget?: BudgetOptions;
  readonly pricing?: Pricing;
  /** The shared Redis cache: where it is (`url` absent: the cluster's Redis) and the run's mode. */
  readonly cache?: { readonly url?: string; readonly prefix: string; readonly mode: CacheMode };
  readonly rateLimit?: {
    readonly scope: 'global' | 'per-worker';
    readonly name: string;
    readonly url?: string;
    readonly rpm?: number;
    readonly tpm?: number;
    readonly windowMs?: number;
    readonly leaseMs?: number;
    readonly expectedOutputTokens?: number;
  };
}

/** One row of a chunk. */
export interface _ChunkRow {
  readonly row: number;
  readonly trial: number;
  readonly placed: _PlacedExample;
}

/** The data of one BullMQ job. */
export interface _ChunkData {
  readonly runId: string;
  readonly chunk: number;
  readonly rows: readonly _ChunkRow[];
}

/** What a worker spent since its previous message of the same run. */
export interface _Spend {
  readonly totals: Readonly<MutableTotals>;
  readonly kinds: _KindCounts;
}

/** One message of the record stream. */
export type _Message =
  | { readonly type: 'row'; readonly row: number; readonly outcome: _RowOutcome; readonly spend: _Spend }
  | { readonly type: 'budget'; readonly spend: _Spend }
  /** What a chunk spent on rows that were not recorded (cancelled when the run stopped). */
  | { readonly type: 'spend'; readonly spend: _Spend }
  | { readonly type: 'fatal'; readonly error: _WireError; readonly spend?: _Spend };

/** An error that ends the run, as sent: its class (when one is rebuilt), message and fields. */
export interface _WireError extends SerializedError {
  readonly key?: string;
  readonly reason?: string;
  readonly exampleId?: string;
}

/** JSON text of `value`, keeping non-finite numbers (a refused score of `Infinity` stays `Infinity`). */
export function _encode(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    typeof v === 'number' && !Number.isFinite(v) ? { $number: String(v) } : v,
  );
}

/** The inverse of {@link _encode}. */
export function _decode(text: string): unknown {
  return JSON.parse(text, (_k, v) =>
    v !== null && typeof v === 'object' && typeof v.$number === 'string' && Object.keys(v).length === 1
      ? Number(v.$number)
      : v,
  );
}

/** The error `err` as it travels. */
export function _wireError(err: unknown): _WireError {
  const e = err as { name?: unknown; message?: unknown; code?: unknown; status?: unknown } & Record<
    string,
    unknown
  >;
  const out: Record<string, unknown> = {
    name: err instanceof Error ? err.name : 'Error',
    message: err instanceof Error ? err.message : String(err),
  };
  if (typeof e?.code === 'string') out.code = e.code;
  if (typeof e?.status === 'number') out.status = e.status;
  for (const f of ['key', 'reason', 'exampleId'] as const) if (typeof e?.[f] === 'string') out[f] = e[f];
  return out as unknown as _WireError;
}

/** The error a worker sent, rebuilt as the class a caller branches on (other errors: an `EvalgateError`). */
export function _reviveError(e: _WireError): Error {
  const fields = e.exampleId === undefined ? {} : { exampleId: e.exampleId };
  if (e.name === 'ReplayMissError') return new ReplayMissError(e.message, e.key ?? '', fields);
  if (e.name === 'ClusterError')
    return new ClusterError(e.message, (e.reason ?? 'mismatch') as 'mismatch', fields);
  const err = new EvalgateError(e.code ?? 'E_WORKER', e.message, {
    ...fields,
    ...(e.status === undefined ? {} : { status: e.status }),
  });
  err.name = e.name;
  return err;
}
