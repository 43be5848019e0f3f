/**
 * `evalgate/ai-sdk`: the Vercel AI SDK integration. Works with `ai` 6 and 7 (and 5): it imports nothing from `ai`,
 * so the peer dependency is whatever version the user's code uses.
 * @module
 */
export {
  type AISDKCallOptions,
  type AISDKEmbeddingModel,
  type AISDKImageModel,
  type AISDKLanguageModel,
  type AISDKRerankingModel,
  type AISDKSpecificationVersion,
  type AISDKStreamPart,
  type EvalgateMiddleware,
  evalgateMiddleware,
  wrapAISDKModel,
} from '../providers/wrapAISDKModel.js';
