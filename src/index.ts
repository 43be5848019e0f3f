/**
 * evalgate: evaluate LLM systems in your test suite, with a confidence interval on every metric and a
 * paired significance test for every comparison.
 * @module
 */

export type { CacheMode, CacheOption, CacheStore } from './cache/index.js';
export type { Comparison, MetricComparison, PairedTestName } from './comparison.js';
export { type LoadJsonlOptions, loadJsonl } from './dataset/loadJsonl.js';
export {
  BudgetExceededError,
  CacheEntryError,
  CacheError,
  type CacheErrorReason,
  ComparisonError,
  DatasetError,
  EvalgateError,
  type EvalgateErrorFields,
  FailureRateExceededError,
  JudgeParseError,
  ModelOutputError,
  RateLimitError,
  ReplayMissError,
  ResultFormatError,
  type SerializedError,
  TimeoutError,
} from './errors.js';
export { type EvaluateOptions, evaluate, type Progress } from './evaluate.js';
export { type OpenAIChatParams, type OpenAIModelOptions, openaiModel } from './model/openaiModel.js';
export { precomputedModel } from './model/precomputedModel.js';
export { type BaselineOptions, baseline } from './report/baseline.js';
export { formatComparisonTable } from './report/formatComparisonTable.js';
export { formatResultTable, type ResultSummaryLike } from './report/formatResultTable.js';
export { type HtmlReportOptions, renderHtmlReport, writeHtmlReport } from './report/htmlReport.js';
export { loadResult } from './report/loadResult.js';
export { saveResult } from './report/saveResult.js';
export type {
  ConfidenceInterval,
  EvalResult,
  ExampleRecord,
  MetricSummary,
  RunTotals,
  ScoreTable,
} from './result.js';
export { SCHEMA_VERSION } from './result.js';
export {
  type BudgetOptions,
  type CostEstimate,
  DEFAULT_PRICING,
  type EstimateCostOptions,
  estimateCost,
  type ModelPrice,
  type Pricing,
  type RateLimiter,
  type RateLimiterOptions,
  rateLimiter,
} from './scheduler/index.js';
export type { CallRuntime, CallSpec, RetryOptions } from './scheduler/runtime.js';
export { type CompareOptions, compare } from './stats/compare.js';
export type {
  Dataset,
  Example,
  Metric,
  MetricKind,
  MetricScore,
  Model,
  ModelContext,
  ModelOutput,
  ScoreContext,
  Usage,
} from './types.js';
export { VERSION } from './version.js';
