/**
 * Text metrics. Each scorer is a pure function on strings and a `Metric` factory for `evaluate()` that reads
 * `example.reference`:
 *
 * | pure function                     | metric factory        | kind       |
 * |-----------------------------------|-----------------------|------------|
 * | `exactMatchScore`                 | `exactMatch()`        | binary     |
 * | `tokenF1`                         | `f1()`                | continuous |
 * | `sentenceBleu`, `corpusBleu`      | `bleu()` (aggregate)  | continuous |
 * | `sentenceChrf`, `corpusChrf`      | `chrf()` (aggregate)  | continuous |
 * | `rougeLScore`                     | `rougeL()`            | continuous |
 * | `levenshteinSimilarity`           | `levenshtein()`       | continuous |
 * | `containsScore`                   | `contains()`          | binary     |
 * | `regexMatchScore`                 | `regexMatch(pattern)` | binary     |
 * | `jsonValidScore`                  | `jsonValid()`         | binary     |
 * | `jsonMatchScore`                  | `jsonMatch()`         | binary     |
 * | `cosineSimilarity`                | `embeddingSimilarity({ embed })` (`embed` may be `openaiEmbedder()`) | continuous |
 * | `bertScoreFromEmbeddings`, `idfWeights` | `bertScore({ embedTokens, idf? })` | continuous |
 * @module
 */
export type { AnswerNormalization } from './_internal/squadNormalize.js';
export type {
  BertScoreMetricOptions,
  BertScoreOptions,
  BertScoreResult,
  EmbedTokensFunction,
  TokenEmbeddings,
} from './bertScore.js';
export { bertScore, bertScoreFromEmbeddings } from './bertScore.js';
export type { BleuMetricOptions, BleuOptions, BleuResult, BleuSmoothing, BleuTokenizer } from './bleu.js';
export { bleu, corpusBleu, sentenceBleu } from './bleu.js';
export type { ChrfMetricOptions, ChrfOptions, ChrfResult } from './chrf.js';
export { chrf, corpusChrf, sentenceChrf } from './chrf.js';
export type { ContainsMetricOptions, ContainsOptions } from './contains.js';
export { contains, containsScore } from './contains.js';
export { type CorpusAggregator, corpusAggregator } from './corpusAggregation.js';
export { cosineSimilarity } from './cosineSimilarity.js';
export type { EmbedContext, EmbeddingSimilarityOptions, EmbedFunction } from './embeddingSimilarity.js';
export { embeddingSimilarity } from './embeddingSimilarity.js';
export type { ExactMatchMetricOptions, ExactMatchOptions } from './exactMatch.js';
export { exactMatch, exactMatchScore } from './exactMatch.js';
export type { IdfWeights } from './idfWeights.js';
export { idfWeights } from './idfWeights.js';
export type { JsonMatchMetricOptions, JsonMatchOptions } from './jsonMatch.js';
export { jsonMatch, jsonMatchScore } from './jsonMatch.js';
export type { JsonValidMetricOptions, JsonValidOptions } from './jsonValid.js';
export { jsonValid, jsonValidScore } from './jsonValid.js';
export type { LevenshteinMetricOptions, LevenshteinOptions, LevenshteinUnit } from './levenshtein.js';
export { levenshtein, levenshteinSimilarity } from './levenshtein.js';
export type { OpenAIEmbedderOptions } from './openaiEmbedder.js';
export { openaiEmbedder } from './openaiEmbedder.js';
export type { RegexMatchMetricOptions, RegexMatchOptions } from './regexMatch.js';
export { regexMatch, regexMatchScore } from './regexMatch.js';
export type { RougeLMetricOptions, RougeLOptions, RougeLResult, RougeTokenizer } from './rougeL.js';
export { rougeL, rougeLScore } from './rougeL.js';
export type { F1MetricOptions, TokenF1Options } from './tokenF1.js';
export { f1, tokenF1 } from './tokenF1.js';
export { tokenize13a } from './tokenize13a.js';
