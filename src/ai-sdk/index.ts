/**
 * `evalgate/ai-sdk`: the Vercel AI SDK integration. Needs the optional peer dependency `ai`.
 * @module
 */
export { evalgateMiddleware, wrapAISDKModel } from '../providers/wrapAISDKModel.js';
