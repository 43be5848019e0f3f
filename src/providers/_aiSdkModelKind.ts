/**
 * Which kind of AI SDK model an object is, read from the members each kind's specification (`@ai-sdk/provider`
 * 2, 3 and 4) requires: models carry a specification version but no kind, and several kinds share method names
 * (`doGenerate` is a language, image, speech or transcription model's; `doStream` a language model's, and a
 * streaming speech or transcription model's in specification v4).
 * @module
 */

/** The kinds `wrapAISDKModel` routes through the run. */
export const ROUTED_KINDS = ['language', 'embedding', 'reranking'] as const;

/**
 * The kinds of AI SDK model `wrapAISDKModel` recognizes. Speech and transcription models require the same members
 * (`doGenerate`, and `doStream` for streaming ones in v4), so they are one kind here.
 */
export type AISDKModelKind =
  | (typeof ROUTED_KINDS)[number]
  | 'image'
  | 'video'
  | 'speech-or-transcription'
  | 'speech-translation'
  | 'decision'
  | 'extraction'
  | 'realtime'
  | 'batch'
  | 'files'
  | 'skills';

const isFn = (m: Record<string, unknown>, name: string) => typeof m[name] === 'function';

/**
 * The kind of `model`, by the members its specification requires, or `undefined` when it is no AI SDK model
 * (or an object with neither the language model's `doGenerate` and `doStream` nor any other kind's members).
 *
 * A language model is told from a streaming speech or transcription model (specification v4: both have
 * `doGenerate` and `doStream`) by `supportedUrls`, which every language model specification requires and no
 * speech or transcription one has; before v4 no other kind has both methods.
 * @example
 * ```ts
 * _aiSdkModelKind(openai('gpt-4o-mini')); // => 'language'
 * _aiSdkModelKind(openai.transcription('whisper-1')); // => 'speech-or-transcription'
 * ```
 */
export function _aiSdkModelKind(model: unknown): AISDKModelKind | undefined {
  if (model === null || typeof model !== 'object') return undefined;
  const m = model as Record<string, unknown>;
  // The kinds with a member of their own come first: a kind's members never include another kind's own member.
  if (isFn(m, 'doRerank')) return 'reranking';
  if (isFn(m, 'doEmbed')) return 'embedding';
  // maxImagesPerCall is a number, `undefined` or a function; only an image model declares it.
  if (typeof m.maxImagesPerCall === 'number' || typeof m.maxImagesPerCall === 'function') return 'image';
  if (typeof m.maxVideosPerCall === 'number') return 'video';
  if (isFn(m, 'doDecide') || isFn(m, 'doEvaluate')) return 'decision';
  if (isFn(m, 'doExtract')) return 'extraction';
  if (isFn(m, 'doStartBatch')) return 'batch';
  if (isFn(m, 'uploadFile')) return 'files';
  if (isFn(m, 'uploadSkill')) return 'skills';
  if (isFn(m, 'parseServerEvent') && isFn(m, 'serializeClientEvent')) return 'realtime';
  // Before specification v4 only a language model has both: a hand-made v2 or v3 model without supportedUrls
  // (which its specification requires) is still taken for one.
  if (isFn(m, 'doGenerate') && isFn(m, 'doStream'))
    return 'supportedUrls' in m || m.specificationVersion !== 'v4' ? 'language' : 'speech-or-transcription';
  if (isFn(m, 'doGenerate')) return 'speech-or-transcription';
  if (isFn(m, 'doStream')) return 'speech-translation';
  return undefined;
}
