import type { MetricKind } from '../../src/core/types.js';
import type { EvalResult, MetricSummary } from '../../src/result/EvalResult.js';
import { SCHEMA_VERSION } from '../../src/result/EvalResult.js';

/** Columns from which a test EvalResult is built (index i of every array is the same row). */
export interface ResultColumns {
  readonly ids?: readonly string[];
  readonly trials?: readonly number[];
  readonly groups?: readonly (string | null)[];
  readonly failed?: readonly boolean[];
  readonly metrics: Readonly<Record<string, readonly (number | null)[]>>;
  readonly kinds?: Readonly<Record<string, MetricKind>>;
  readonly stats?: Readonly<Record<string, readonly (readonly number[] | null)[]>>;
  readonly aggregation?: Readonly<Record<string, 'mean' | 'corpus'>>;
}

/**
 * Builds an EvalResult (the shape of src/result.ts) from arrays, for compare() tests. Summaries carry plain means
 * (their CIs are placeholders: compare() never reads them).
 */
export function makeResult(c: ResultColumns): EvalResult {
  const first = Object.values(c.metrics)[0] ?? [];
  const n = first.length;
  const ids = c.ids ?? Array.from({ length: n }, (_, i) => `#${i}`);
  const trials = c.trials ?? new Array<number>(n).fill(0);
  const failed = c.failed ?? new Array<boolean>(n).fill(false);
  const metrics: Record<string, MetricSummary> = {};
  for (const [name, values] of Object.entries(c.metrics)) {
    const ok = values.filter((v, i): v is number => v !== null && !failed[i]);
    const mean = ok.reduce((s, v) => s + v, 0) / ok.length;
    metrics[name] = {
      kind: c.kinds?.[name] ?? (ok.every((v) => v === 0 || v === 1) ? 'binary' : 'continuous'),
      mean,
      ci: { low: mean, high: mean, level: 0.95, method: 'bca' },
      stderr: 0,
      n: ok.length,
      nMissing: values.filter((v, i) => v === null && !failed[i]).length,
      aggregation: c.aggregation?.[name] ?? 'mean',
    };
  }
  return {
    schemaVersion: SCHEMA_VERSION,
    run: {
      startedAt: '2026-01-01T00:00:00.000Z',
      finishedAt: '2026-01-01T00:00:01.000Z',
      durationMs: 1000,
      evalgateVersion: '0.1.0',
      stoppedBy: null,
    },
    config: {},
    n,
    nFailed: failed.filter(Boolean).length,
    metrics,
    examples: [],
    scores: {
      ids,
      trials,
      groups: c.groups ?? new Array<string | null>(n).fill(null),
      failed,
      metrics: c.metrics,
      ...(c.stats === undefined ? {} : { stats: c.stats }),
    },
    totals: {
      requests: n,
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
      cacheHits: 0,
      cacheMisses: 0,
      retries: 0,
    },
  };
}
