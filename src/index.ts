/**
 * evalgate: evaluate LLM systems in your test suite, with a confidence interval on every metric and a
 * paired significance test for every comparison.
 * @module
 */

import { attachNotebookDisplay, comparisonBundle, resultBundle } from './report/notebookDisplay.js';
import { installDocumentDisplay } from './result/documentDisplay.js';

// Results and comparisons are plain data (`result/` knows nothing of notebooks); importing the package gives
// them their notebook display: a Jupyter cell shows tables and a forest plot, not an object dump.
installDocumentDisplay({
  result: (doc) => attachNotebookDisplay(doc, resultBundle),
  comparison: (doc) => attachNotebookDisplay(doc, comparisonBundle),
});

export type { CacheMode, CacheOption, CacheStore } from './cache/index.js';
export type { CallRuntime, CallSpec, RetryOptions } from './calls/callRuntime.js';
export {
  type BudgetOptions,
  DEFAULT_PRICING,
  DEFAULT_PRICING_AS_OF,
  DEFAULT_PRICING_SOURCES,
  type ModelPrice,
  type Pricing,
  type ProviderBodyErrorOptions,
  providerBodyError,
  type RateLimiter,
  type RateLimiterOptions,
  type RedisRateLimiter,
  type RedisRateLimiterOptions,
  rateLimiter,
  redisRateLimiter,
} from './calls/index.js';
export { type ClusterWorker, runWorker, type WorkerOptions } from './cluster/runWorker.js';
export type { MetricDefinition, MetricDefinitionValue } from './core/metricDefinition.js';
export { SCORING_RULES } from './core/metricDefinition.js';
export type {
  Trajectory,
  TrajectoryInput,
  TrajectoryStep,
  TrajectoryToolCall,
  TrajectoryToolResult,
} from './core/trajectory.js';
export type {
  CallFn,
  CallKind,
  CallOutcome,
  CallRequest,
  CallResult,
  CorpusAggregation,
  Dataset,
  Example,
  Metric,
  MetricKind,
  MetricRows,
  MetricRunInfo,
  MetricScore,
  Model,
  ModelContext,
  ModelOutput,
  RedisConnection,
  ScoreContext,
  Usage,
} from './core/types.js';
export { type DatasetWithNotes, datasetNotes } from './dataset/datasetNotes.js';
export { type LoadJsonlOptions, loadJsonl } from './dataset/loadJsonl.js';
export { type LabelSet, loadLabels, withLabels } from './dataset/loadLabels.js';
export {
  BaselineMissingError,
  BudgetExceededError,
  CacheEntryError,
  CacheError,
  type CacheErrorReason,
  ClusterError,
  type ClusterErrorReason,
  type ClusterRole,
  ComparisonError,
  ConnectionFailedError,
  DatasetError,
  EvalgateError,
  type EvalgateErrorFields,
  FailureRateExceededError,
  JudgeParseError,
  type MetricDefinitionChange,
  MetricDefinitionError,
  ModelOutputError,
  NestedRunError,
  ProviderCallError,
  ProviderResponseError,
  RateLimitError,
  ReplayMissError,
  ResultFormatError,
  RunClosedError,
  SegmentError,
  type SerializedError,
  TimeoutError,
  UnpricedModelError,
  UnsupportedModelKindError,
} from './errors.js';
export {
  type EvaluateOptions,
  evaluate,
  type GateOptions,
  type PairedGate,
  type Progress,
  type SegmentBy,
  type ThresholdGate,
} from './evaluate.js';
export {
  type CostEstimate,
  type EstimateCostOptions,
  type EstimateMessage,
  estimateCost,
} from './providers/estimateCost.js';
export {
  type OpenAIChatMessage,
  type OpenAIChatParams,
  type OpenAIChatTool,
  type OpenAIModelOptions,
  openaiModel,
} from './providers/openaiModel.js';
export { precomputedModel } from './providers/precomputedModel.js';
export { type AnthropicLike, wrapAnthropic } from './providers/wrapAnthropic.js';
export { type OpenAIClientLike, wrapOpenAI } from './providers/wrapOpenAI.js';
export { formatComparisonTable } from './report/formatComparisonTable.js';
export { formatResultTable, type ResultSummaryLike } from './report/formatResultTable.js';
export { formatSegmentTable } from './report/formatSegmentTable.js';
export {
  type HistoryReportOptions,
  renderHistoryReport,
  writeHistoryReport,
} from './report/historyReport.js';
export { type HtmlReportOptions, renderHtmlReport, writeHtmlReport } from './report/htmlReport.js';
export {
  type MarkdownComparisonEntry,
  type MarkdownResultEntry,
  type MarkdownSummaryInput,
  markdownSummary,
} from './report/markdownSummary.js';
export {
  comparisonBundle,
  JUPYTER_DISPLAY,
  type NotebookBundle,
  resultBundle,
  type SegmentRow,
  type SegmentTable,
  segmentBundle,
  segmentTable,
} from './report/notebookDisplay.js';
export { type BaselineOptions, baseline } from './result/baseline.js';
export type {
  CalibratedDifference,
  Comparison,
  MetricComparison,
  PairedTestName,
  SegmentComparison,
} from './result/Comparison.js';
export { type CompareOptions, type CorpusAggregator, compare } from './result/compare.js';
export type {
  CalibratedSummary,
  ConfidenceInterval,
  EvalResult,
  ExampleRecord,
  GateResult,
  IntervalMethod,
  JudgeBias,
  MetricSummary,
  RunTotals,
  ScoreTable,
} from './result/EvalResult.js';
export { SCHEMA_VERSION } from './result/EvalResult.js';
export { loadResult } from './result/loadResult.js';
export { type SampleForLabelingOptions, sampleForLabeling } from './result/sampleForLabeling.js';
export { saveResult } from './result/saveResult.js';
export type { ClusterOptions } from './run/clusterOptions.js';
export { VERSION } from './version.js';
