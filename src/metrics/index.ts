/**
 * Text metrics: each scorer is a pure function on strings and a `Metric` factory for `evaluate()`.
 * Pairs: `exactMatchScore` / `exactMatch()`, `tokenF1` / `f1()`, `sentenceBleu` + `corpusBleu` / `bleu()`,
 * `sentenceChrf` + `corpusChrf` / `chrf()`.
 * @module
 */

export type { AnswerNormalization } from './_internal/squadNormalize.js';
export type { BleuMetricOptions, BleuOptions, BleuResult, BleuSmoothing, BleuTokenizer } from './bleu.js';
export { bleu, corpusBleu, sentenceBleu } from './bleu.js';
export type { ChrfMetricOptions, ChrfOptions, ChrfResult } from './chrf.js';
export { chrf, corpusChrf, sentenceChrf } from './chrf.js';
export type { ExactMatchMetricOptions, ExactMatchOptions } from './exactMatch.js';
export { exactMatch, exactMatchScore } from './exactMatch.js';
export type { F1MetricOptions, TokenF1Options } from './tokenF1.js';
export { f1, tokenF1 } from './tokenF1.js';
export { tokenize13a } from './tokenize13a.js';
