/**
 * EvalResult / Comparison objects built by hand, field for field after src/result.ts and src/comparison.ts,
 * so the matchers, reporter, result files, CLI and HTML report can be tested without running a model.
 */
import type { Comparison, MetricComparison, TestMethod } from '../../src/result/Comparison.js';
import type { EvalResult, ExampleRecord, MetricSummary } from '../../src/result/EvalResult.js';

export interface MetricSpec {
  readonly mean: number;
  readonly low: number;
  readonly high: number;
  readonly n?: number;
  readonly kind?: 'binary' | 'continuous';
  readonly nMissing?: number;
  readonly warning?: string;
}

export function metricSummary(spec: MetricSpec): MetricSummary {
  return {
    kind: spec.kind ?? 'binary',
    mean: spec.mean,
    ci: { low: spec.low, high: spec.high, level: 0.95, method: 'bca' },
    stderr: (spec.high - spec.low) / (2 * 1.959963984540054),
    n: spec.n ?? 100,
    nMissing: spec.nMissing ?? 0,
    aggregation: 'mean',
    ...(spec.warning === undefined ? {} : { warning: spec.warning }),
  };
}

/** One example record; scores default to an exact-match 1 when the output equals the reference. */
export function exampleRecord(
  id: string,
  output: string | null,
  scores: Record<string, number | null>,
  extra: Partial<ExampleRecord> = {},
): ExampleRecord {
  return {
    id,
    trial: 0,
    input: `question ${id}`,
    reference: `answer ${id}`,
    output,
    scores,
    latencyMs: 120,
    usage: { inputTokens: 12, outputTokens: 3 },
    costUsd: 0.0001,
    cached: false,
    retries: 0,
    ...extra,
  };
}

export interface ResultSpec {
  readonly metrics?: Record<string, MetricSpec>;
  readonly examples?: readonly ExampleRecord[];
  readonly nFailed?: number;
  readonly costUsd?: number;
  readonly cacheHits?: number;
  readonly cacheMisses?: number;
}

/** A complete, internally consistent EvalResult (the score table mirrors the example records). */
export function makeResult(spec: ResultSpec = {}): EvalResult {
  const metricSpecs = spec.metrics ?? { exact_match: { mean: 0.72, low: 0.63, high: 0.8 } };
  const examples =
    spec.examples ??
    Array.from({ length: 4 }, (_, i) =>
      exampleRecord(
        `q${i}`,
        i === 3 ? null : `answer q${i}`,
        Object.fromEntries(Object.keys(metricSpecs).map((m) => [m, i === 3 ? null : i % 2])),
        i === 3
          ? {
              error: {
                name: 'TimeoutError',
                message: 'model call timed out after 30000 ms',
                code: 'E_TIMEOUT',
              },
            }
          : {},
      ),
    );
  const metricNames = [
    ...new Set([...Object.keys(metricSpecs), ...examples.flatMap((e) => Object.keys(e.scores))]),
  ];
  const nFailed = spec.nFailed ?? examples.filter((e) => e.output === null).length;
  return {
    schemaVersion: 1,
    run: {
      startedAt: '2026-01-01T00:00:00.000Z',
      finishedAt: '2026-01-01T00:00:01.500Z',
      durationMs: 1500,
      evalgateVersion: '0.1.0',
      stoppedBy: null,
    },
    config: { concurrency: 8, confidence: 0.95, resamples: 9999, seed: 1 },
    n: examples.length,
    nFailed,
    metrics: Object.fromEntries(Object.entries(metricSpecs).map(([name, m]) => [name, metricSummary(m)])),
    examples,
    scores: {
      ids: examples.map((e) => e.id),
      trials: examples.map((e) => e.trial),
      groups: examples.map((e) => e.group ?? null),
      failed: examples.map((e) => e.output === null),
      metrics: Object.fromEntries(metricNames.map((m) => [m, examples.map((e) => e.scores[m] ?? null)])),
    },
    totals: {
      requests: examples.length,
      inputTokens: 12 * examples.length,
      outputTokens: 3 * examples.length,
      costUsd: spec.costUsd ?? 0.0004,
      cacheHits: spec.cacheHits ?? 1,
      cacheMisses: spec.cacheMisses ?? 3,
      retries: 0,
      savedInputTokens: 0,
      savedOutputTokens: 0,
      savedCostUsd: 0,
    },
  };
}

export interface MetricComparisonSpec {
  readonly baselineMean: number;
  readonly candidateMean: number;
  readonly low: number;
  readonly high: number;
  readonly pValue: number;
  readonly pValueAdjusted?: number;
  readonly effectSize?: number;
  readonly n?: number;
  readonly test?: MetricComparison['test'];
  readonly testMethod?: TestMethod;
}

/**
 * A Comparison as compare() shapes it. `significant` is `pValueAdjusted < alpha`; `nonInferior` is
 * `ci.low > -margin` when a margin is given.
 */
export function makeComparison(
  metrics: Record<string, MetricComparisonSpec>,
  options: { alpha?: number; margin?: number; adjustment?: Comparison['adjustment'] } = {},
): Comparison {
  const alpha = options.alpha ?? 0.05;
  const { margin } = options;
  const entries = Object.entries(metrics).map(([name, s]): [string, MetricComparison] => {
    const pValueAdjusted = s.pValueAdjusted ?? s.pValue;
    return [
      name,
      {
        metric: name,
        kind: 'binary',
        n: s.n ?? 200,
        baselineMean: s.baselineMean,
        candidateMean: s.candidateMean,
        difference: s.candidateMean - s.baselineMean,
        ci: { low: s.low, high: s.high, level: 0.95, method: 'bca' },
        test: s.test ?? 'mcnemar',
        testMethod: s.testMethod ?? 'exact',
        statistic: 7,
        pValue: s.pValue,
        pValueAdjusted,
        effectSize: s.effectSize ?? 0.2,
        significant: pValueAdjusted < alpha,
        ...(margin === undefined ? {} : { nonInferior: s.low > -margin, margin }),
        discordant: { baselineOnly: 7, candidateOnly: 15 },
      },
    ];
  });
  return {
    kind: 'evalgate-comparison',
    alpha,
    confidence: 0.95,
    ...(margin === undefined ? {} : { margin }),
    adjustment: options.adjustment ?? 'holm',
    nPaired: 200,
    nUnpaired: 0,
    metrics: Object.fromEntries(entries),
  };
}

/** The message of the assertion `f` makes, which must fail (a matcher's failure message, to check its text). */
export function failureMessage(f: () => void): string {
  try {
    f();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected the assertion to fail');
}
