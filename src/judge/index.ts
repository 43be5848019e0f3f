/**
 * `evalgate/judge`: LLM-as-judge and RAG metrics whose verdicts are parsed strictly (a bad verdict is a
 * missing score with its raw text kept, never a default) and whose biases are measured.
 * @module
 */
export type { JudgeModelOptions } from './_internal/judgeCall.js';
export type {
  AISDKModelLike,
  JudgeComplete,
  JudgeCompleteContext,
  JudgeMessage,
} from './_internal/judgeClients.js';
export { type AnswerRelevanceOptions, answerRelevance } from './answerRelevance.js';
export { contextPrecision } from './contextPrecision.js';
export { contextRecall } from './contextRecall.js';
export { contextRelevance } from './contextRelevance.js';
export { faithfulness } from './faithfulness.js';
export { type GEvalOptions, gEval } from './gEval.js';
export { type JudgeBias, type JudgeBiasReportOptions, judgeBiasReport } from './judgeBiasReport.js';
export { type JudgeScale, type LlmJudgeOptions, llmJudge } from './llmJudge.js';
export { type PairVerdict, type PairwiseJudgeOptions, pairwiseJudge } from './pairwiseJudge.js';
