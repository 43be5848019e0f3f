/**
 * `evalgate/stats`: bootstrap intervals, paired tests, effect sizes, p-value adjustment, comparison of two runs,
 * sample-size planning, and time-uniform confidence sequences. Every function matches its reference (scipy
 * 1.17.1, statsmodels, confseq) to ~1e-9 relative or better and returns a frozen, self-describing result.
 * @module
 */
export { adjustPValues, type PValueAdjustment } from './adjustPValues.js';
export {
  type BootstrapMethod,
  type BootstrapOptions,
  type BootstrapResult,
  type BootstrapStatistic,
  bootstrapCI,
} from './bootstrapCI.js';
export { boundedMeanInterval, clopperPearsonInterval } from './boundedMeanInterval.js';
export { type CohensDOptions, type CohensDResult, cohensD } from './cohensD.js';
export {
  type CohensKappaOptions,
  type CohensKappaResult,
  cohensKappa,
  type Rating,
} from './cohensKappa.js';
export {
  type ConfidenceBound,
  type ConfidenceSequenceOptions,
  type ConfidenceSequenceResult,
  confidenceSequence,
  createConfidenceSequence,
  type IncrementalConfidenceSequence,
} from './confidenceSequence.js';
export { mean, normalQuantile } from './descriptive.js';
export {
  type AgreementInterval,
  type HumanCeiling,
  type JudgeAgreementOptions,
  type JudgeAgreementResult,
  type JudgeKind,
  judgeAgreement,
} from './judgeAgreement.js';
export { type KendallTauOptions, type KendallTauResult, kendallTau } from './kendallTau.js';
export {
  type KrippendorffAlphaOptions,
  type KrippendorffAlphaResult,
  krippendorffAlpha,
  type MeasurementLevel,
} from './krippendorffAlpha.js';
export { type LabelsNeededOptions, type LabelsNeededResult, labelsNeeded } from './labelsNeeded.js';
export { type McNemarOptions, type McNemarResult, mcnemarTest, mcnemarTestFromTable } from './mcnemarTest.js';
export { type PairedTTestOptions, type PairedTTestResult, pairedTTest } from './pairedTTest.js';
export { type LabeledPairs, type PpiMeanOptions, type PpiMeanResult, ppiMean } from './ppiMean.js';
export { type RoganGladenOptions, type RoganGladenResult, roganGladen } from './roganGladen.js';
export {
  type MinimumDetectableEffectOptions,
  minimumDetectableEffect,
  type PowerAssumptions,
  type PowerResult,
  type SampleSizeOptions,
  sampleSize,
} from './sampleSize.js';
export { type SpearmanOptions, type SpearmanResult, spearman } from './spearman.js';
export type { Alternative, TestResult } from './types.js';
export {
  type WilcoxonOptions,
  type WilcoxonResult,
  wilcoxonSignedRankTest,
} from './wilcoxonSignedRankTest.js';
