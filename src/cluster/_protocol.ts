/**
 * What the coordinator and the workers of a cluster run exchange through Redis: the keys of a run, the run's
 * serializable spec (fingerprint and options), the job data of a chunk, and the messages of the record stream.
 * @module
 */

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _redactKnownSecrets } from '../_internal/redactSecrets.js';
import type { CacheMode } from '../cache/CacheStore.js';
import type { BudgetOptions } from '../calls/budget.js';
import type { MutableTotals, RetryOptions } from '../calls/callRuntime.js';
import type { KindCounts } from '../calls/callScope.js';
import type { Pricing } from '../calls/pricing.js';
import type { Example, Metric } from '../core/types.js';
import type { PlacedExample } from '../dataset/examples.js';
import {
  ClusterError,
  type ClusterErrorReason,
  EvalgateError,
  ReplayMissError,
  type SerializedError,
} from '../errors.js';
import type { RowOutcome } from '../run/rowRunner.js';
import { VERSION } from '../version.js';

/** BullMQ's key prefix for evalgate's queues. */
export const _BULL_PREFIX = 'evalgate:bull';

/** The Redis keys of one run (one hash slot, so a Redis Cluster keeps them together). */
export function _runKeys(runId: string) {
  const base = `evalgate:run:{${runId}}:`;
  return {
    /** The run's {@link _RunSpec} (JSON). Expires unless the coordinator renews it. */
    spec: `${base}spec`,
    /** The coordinator's heartbeat: present while it runs (short expiry, renewed). */
    alive: `${base}alive`,
    /** The record stream: one entry per finished row (and per stop message). */
    stream: `${base}records`,
    /** Bitmap of rows recorded, so a chunk that runs again skips them. */
    done: `${base}done`,
    /** Requests the workers reserved against `budget.maxRequests` (one counter: the limit is exact across them). */
    requests: `${base}requests`,
    /**
     * `budget` once a global budget is reached (refuse every new call; a row whose call is refused stops the run),
     * then, once the run stops, `drain` (send nothing new, finish what is in flight) or `abort`.
     */
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
  /** SHA-256 of the task module's content: same name, other code is another task. */
  readonly taskSha256: string;
  readonly metrics: readonly string[];
}

/** The file path of a task given as a path (relative to the current directory) or a `file:` URL. */
export function _taskPath(task: string): string {
  if (/^file:/i.test(task)) return fileURLToPath(task);
  return isAbsolute(task) ? task : resolve(task);
}

/**
 * The fingerprint of a task: its file name, the SHA-256 of its content, its metric names, this evalgate.
 * @throws {ClusterError} (`'unsupported'`) when the task module cannot be read as a file.
 */
export async function _fingerprint(task: string, metrics: readonly Metric[]): Promise<_Fingerprint> {
  const path = _taskPath(task);
  let content: Buffer;
  try {
    content = await readFile(path);
  } catch (cause) {
    throw new ClusterError(
      `Cannot read the task module "${task}" (${path}) to fingerprint it: ${(cause as Error).message}. \`cluster.task\` and \`evalgate worker <task>\` take a file path or a file: URL.`,
      'unsupported',
      { cause },
    );
  }
  return {
    evalgateVersion: VERSION,
    task: basename(path),
    taskSha256: createHash('sha256').update(content).digest('hex'),
    metrics: metrics.map((m) => m.name),
  };
}

/** How `got` differs from `want`, or `undefined` when they match. */
export function _fingerprintMismatch(want: _Fingerprint, got: _Fingerprint): string | undefined {
  if (want.evalgateVersion !== got.evalgateVersion)
    return `evalgate ${got.evalgateVersion} on the worker, ${want.evalgateVersion} on the coordinator`;
  if (want.task !== got.task) return `task "${got.task}" on the worker, "${want.task}" on the coordinator`;
  if (want.taskSha256 !== got.taskSha256)
    return `task "${got.task}" has other content on the worker (sha256 ${got.taskSha256.slice(0, 12)}…) than on the coordinator (${want.taskSha256.slice(0, 12)}…)`;
  if (want.metrics.join('\u0000') !== got.metrics.join('\u0000'))
    return `metrics [${got.metrics.join(', ')}] on the worker, [${want.metrics.join(', ')}] on the coordinator`;
  return undefined;
}

/**
 * The run's options as they travel to the workers (everything here is JSON). It names what to use — store
 * kind, key prefix, limits — never where to connect: a worker opens the cache and the limiter on its own
 * `--redis` connection, so whoever can write this spec cannot point a worker (and its AUTH) at another host.
 */
export interface _RunSpec {
  readonly runId: string;
  readonly fingerprint: _Fingerprint;
  readonly timeoutMs: number;
  readonly rowTimeoutMs: number;
  readonly metricTimeoutMs: number;
  /** The run's `trajectory` option, resolved: the form each row's calls are recorded in. */
  readonly trajectory?: 'full' | 'tool-calls';
  /** How long a worker goes on without the coordinator's heartbeat before it abandons the run, ms. */
  readonly heartbeatTimeoutMs: number;
  readonly retry?: RetryOptions;
  readonly budget?: BudgetOptions;
  readonly pricing?: Pricing;
  /** The shared cache: a `redis` store under `prefix` on the worker's own Redis, and the run's mode. */
  readonly cache?: { readonly store: 'redis'; readonly prefix: string; readonly mode: CacheMode };
  readonly rateLimit?: {
    readonly scope: 'global' | 'per-worker';
    readonly name: string;
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
  readonly placed: PlacedExample;
  /**
   * The example's `labels` as {@link _encode} text, set when JSON alone would change them (a human label of `-0`):
   * the worker runs the row with these labels (see {@link _placedOf}), so its metrics and its record see the labels
   * one process sees.
   */
  readonly labels?: string;
}

/**
 * The {@link _ChunkRow.labels} of an example: its labels as {@link _encode} text when JSON would carry one of them
 * as another number (`-0` as `0`; the coordinator refuses every other value JSON changes), else `undefined` (the
 * usual case: the labels travel in the example).
 * @example
 * ```ts
 * _labelsText({ input: 'q', labels: { correct: -0 } }); // => '{"correct":{"$number":"-0"}}'
 * _labelsText({ input: 'q', labels: { correct: 1 } }); // => undefined
 * ```
 */
export function _labelsText(example: Example): string | undefined {
  const labels = example.labels as Readonly<Record<string, unknown>> | undefined;
  if (labels === undefined || labels === null || typeof labels !== 'object') return undefined;
  for (const k of Object.keys(labels)) if (Object.is(labels[k], -0)) return _encode(labels);
  return undefined;
}

/**
 * The example a worker runs for chunk row `r`: the one it received, with its labels as {@link _labelsText} sent
 * them when they did not travel exactly in it.
 */
export function _placedOf(r: _ChunkRow): PlacedExample {
  if (r.labels === undefined) return r.placed;
  const labels = _decode(r.labels) as NonNullable<Example['labels']>;
  return { ...r.placed, example: { ...r.placed.example, labels } };
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
  readonly kinds: KindCounts;
  /** Calls without a price, by model (`null`: no model named), when any was made since the previous message. */
  readonly unpriced?: readonly (readonly [string | null, number])[];
  /** Faults that failed no call (a cache read or write), by kind, when any happened since the previous message. */
  readonly faults?: readonly (readonly [string, { readonly count: number; readonly first: string }])[];
}

/** One message of the record stream. */
export type _Message =
  | { readonly type: 'row'; readonly row: number; readonly outcome: RowOutcome; readonly spend: _Spend }
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

/**
 * JSON text of `value`, keeping non-finite numbers (a refused score of `Infinity` stays `Infinity`) and `-0` (a
 * score of `Math.round(-0.2)`; JSON writes it as `0`) as `{ $number: "…" }`. So that no data reads as such a mark,
 * every key of the value that starts with `$` gets one more `$` (`{ $number: "7" }` in a metric's details travels
 * as `{ $$number: "7" }`); {@link _decode} takes it off.
 */
export function _encode(value: unknown): string {
  return JSON.stringify(value, (_k, v) => {
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return { $number: String(v) };
      return Object.is(v, -0) ? { $number: '-0' } : v;
    }
    return v !== null && typeof v === 'object' && !Array.isArray(v) && hasDollarKey(v)
      ? Object.fromEntries(Object.entries(v).map(([k, f]) => [k.startsWith('$') ? `$${k}` : k, f]))
      : v;
  });
}

/** The inverse of {@link _encode}. */
export function _decode(text: string): unknown {
  return JSON.parse(text, (_k, v) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v) || !hasDollarKey(v)) return v;
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0] === '$number' && typeof v.$number === 'string') return Number(v.$number);
    // Data keyed `$…` travels as `$$…` (see _encode); `fromEntries` keeps a key `__proto__` an own field.
    return Object.fromEntries(Object.entries(v).map(([k, f]) => [k.startsWith('$') ? k.slice(1) : k, f]));
  });
}

function hasDollarKey(o: object): boolean {
  for (const k in o) if (k.startsWith('$') && Object.hasOwn(o, k)) return true;
  return false;
}

/** The error `err` as it travels. */
export function _wireError(err: unknown): _WireError {
  const e = err as { name?: unknown; message?: unknown; code?: unknown; status?: unknown } & Record<
    string,
    unknown
  >;
  const out: Record<string, unknown> = {
    name: err instanceof Error ? err.name : 'Error',
    // What goes into Redis: credentials recognisable by their shape hidden, as on a record.
    message: _redactKnownSecrets(err instanceof Error ? err.message : String(err)),
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
    return new ClusterError(e.message, (e.reason ?? 'failed') as ClusterErrorReason, {
      ...fields,
      role: 'worker',
    });
  const err = new EvalgateError(e.code ?? 'E_WORKER', e.message, {
    ...fields,
    ...(e.status === undefined ? {} : { status: e.status }),
  });
  err.name = e.name;
  return err;
}
